// A chart drawn in text for the terminal: line and scatter plots in braille
// dots with a labelled Y axis on the left and X ticks below, bar charts and
// histograms as horizontal bars in eighth-block characters. Several series get
// a legend and a colour each (when colour is on).
import Foundation

struct TerminalChart {
    let chart: Chart
    /// The whole chart's size in character cells.
    let width: Int
    let height: Int
    let palette: Palette

    /// Partial blocks for the eighths of a cell, from one eighth to seven.
    private static let eighths = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    func render() -> String {
        switch chart.kind {
        case .line, .scatter: return plot()
        case .bar:
            let step = Self.valueStep(chart.bars.map(\.value))
            return bars(chart.bars.map { ($0.label, $0.value, AxisTicks.label($0.value, step: step)) })
        case .hist:
            let step = chart.bins.first.map { $0.high - $0.low } ?? 1
            let labelStep = AxisTicks.niceStep(atLeast: step) / 10
            return bars(chart.bins.map { bin in
                (AxisTicks.label(bin.low, step: labelStep) + " – " + AxisTicks.label(bin.high, step: labelStep),
                 Double(bin.count), DigitGrouping.grouped(bin.count))
            })
        }
    }

    /// The step that shows every value's decimals (up to four).
    private static func valueStep(_ values: [Double]) -> Double {
        for decimals in 0..<4 {
            let scale = pow(10, Double(decimals))
            if values.allSatisfy({ ($0 * scale).rounded() == $0 * scale }) { return 1 / scale }
        }
        return 0.0001
    }

    private var header: String {
        var out = palette.paint(chart.title, .header) + "\n"
        if chart.series.count > 1 {
            out += chart.series.enumerated().map { i, series in
                palette.paint("⣿", .series(i)) + " " + series.name
            }.joined(separator: "   ") + "\n"
        }
        return out
    }

    private func plot() -> String {
        let points = chart.series.flatMap(\.points)
        guard let xMin = points.map(\.x).min(), let xMax = points.map(\.x).max(),
              let yMin = points.map(\.y).min(), let yMax = points.map(\.y).max() else { return header }
        let headerLines = chart.series.count > 1 ? 2 : 1
        let plotRows = max(3, height - headerLines - 3)
        let y = AxisTicks.numeric(low: yMin, high: yMax, maxCount: max(2, plotRows / 3 + 1))
        let yLabelWidth = y.ticks.map(\.label.count).max() ?? 1
        let plotColumns = max(8, width - yLabelWidth - 2)
        var canvas = BrailleCanvas(columns: plotColumns, rows: plotRows)

        let xTickCount = max(2, plotColumns / 10)
        let xTicks: [AxisTicks.Tick]
        var xLow = xMin, xHigh = xMax
        if chart.xScale == .date {
            if xHigh <= xLow {
                xLow -= 1
                xHigh += 1
            }
            xTicks = AxisTicks.dates(low: xLow, high: xHigh, maxCount: xTickCount)
        } else {
            let numeric = AxisTicks.numeric(low: xMin, high: xMax, maxCount: xTickCount)
            (xTicks, xLow, xHigh) = (numeric.ticks, numeric.low, numeric.high)
        }
        func dotX(_ x: Double) -> Int {
            Chart.cells(((x - xLow) / (xHigh - xLow) * Double(canvas.dotColumns - 1)).rounded(), in: -1...canvas.dotColumns)
        }
        func dotY(_ value: Double) -> Int {
            Chart.cells(((y.high - value) / (y.high - y.low) * Double(canvas.dotRows - 1)).rounded(), in: -1...canvas.dotRows)
        }
        for (index, series) in chart.series.enumerated() {
            var previous: (x: Int, y: Int)?
            for point in series.points {
                let dot = (x: dotX(point.x), y: dotY(point.y))
                if chart.kind == .line, let previous {
                    canvas.line(from: previous, to: dot, series: index)
                } else {
                    canvas.set(dot.x, dot.y, series: index)
                }
                previous = dot
            }
        }

        // Y ticks on the rows they fall in.
        var rowLabels = [String?](repeating: nil, count: plotRows)
        for tick in y.ticks {
            let row = dotY(tick.value) / 4
            if row >= 0 && row < plotRows && rowLabels[row] == nil { rowLabels[row] = tick.label }
        }
        var out = header
        for row in 0..<plotRows {
            let label = rowLabels[row] ?? ""
            let axis = rowLabels[row] == nil ? " │" : " ┤"
            out += String(repeating: " ", count: yLabelWidth - label.count) + label + palette.paint(axis, .border)
                + canvas.row(row, palette: palette) + "\n"
        }

        // The X axis, its ticks, their labels where they do not collide, and its name.
        var axis = Array(repeating: "─", count: plotColumns)
        var labels = [Character](repeating: " ", count: plotColumns + yLabelWidth + 2)
        var freeFrom = 0
        for tick in xTicks {
            let column = dotX(tick.value) / 2
            guard column >= 0 && column < plotColumns else { continue }
            axis[column] = "┬"
            let text = Array(tick.label)
            let start = max(0, yLabelWidth + 2 + column - text.count / 2)
            if start >= freeFrom && start + text.count <= labels.count {
                labels.replaceSubrange(start..<(start + text.count), with: text)
                freeFrom = start + text.count + 1
            }
        }
        out += String(repeating: " ", count: yLabelWidth) + palette.paint(" └" + axis.joined(), .border) + "\n"
        out += String(String(labels).reversed().drop { $0 == " " }.reversed()) + "\n"
        let nameIndent = yLabelWidth + 2 + max(0, (plotColumns - chart.xName.count) / 2)
        out += String(repeating: " ", count: nameIndent) + chart.xName + "\n"
        return out
    }

    /// Horizontal bars: label, bar from zero (left of a zero line for
    /// negative values), and the value as text.
    private func bars(_ rows: [(label: String, value: Double, text: String)]) -> String {
        var out = header
        let labels = rows.map { GridRenderer.truncated($0.label, to: 24) }
        let labelWidth = labels.map(\.count).max() ?? 0
        let textWidth = rows.map(\.text.count).max() ?? 0
        let barWidth = max(4, width - labelWidth - textWidth - 4)
        let low = min(0, rows.map(\.value).min() ?? 0), high = max(0, rows.map(\.value).max() ?? 0)
        let span = high - low > 0 ? high - low : 1
        // Cells left of the zero line, for negative bars.
        let negativeCells = Chart.cells((-low / span * Double(barWidth)).rounded(), in: 0...barWidth)
        for (i, row) in rows.enumerated() {
            var bar: String
            let cells = abs(row.value) / span * Double(barWidth)
            if row.value >= 0 {
                let whole = Chart.cells(cells, in: 0...barWidth)
                let eighths = Chart.cells(((cells - Double(whole)) * 8).rounded(), in: 0...8)
                bar = String(repeating: "█", count: whole)
                if eighths == 8 { bar += "█" } else if eighths > 0 { bar += TerminalChart.eighths[eighths - 1] }
                bar = String(repeating: " ", count: negativeCells) + (low < 0 ? "│" : "") + palette.paint(bar, .series(0))
            } else {
                let whole = min(negativeCells, Chart.cells(cells.rounded(), in: 0...barWidth))
                bar = String(repeating: " ", count: negativeCells - whole) + palette.paint(String(repeating: "█", count: whole), .series(1)) + "│"
            }
            out += String(repeating: " ", count: labelWidth - labels[i].count) + labels[i] + palette.paint(" ┤", .border)
                + bar + " " + row.text + "\n"
        }
        return out
    }
}
