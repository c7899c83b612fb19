// A chart as a standalone SVG document for papers and slides: title, axes
// with ticks, light grid lines, a legend for several series, each series a
// polyline (line), a group of circles (scatter) or rectangles (bar, hist).
// Every series element carries `class="series"` and `data-name`, so scripts
// and tests can find them.
import Foundation
import MinerQL

struct SVGChart {
    let chart: Chart
    var width = 800.0
    var height = 450.0

    /// Tableau's ten colours: distinct, and readable in print.
    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    private struct Frame {
        var left: Double, top: Double, right: Double, bottom: Double
        var width: Double { right - left }
        var height: Double { bottom - top }
    }

    func render() -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <title>\(SVGChart.escaped(chart.title))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="26" text-anchor="middle" font-size="16" font-weight="bold">\(SVGChart.escaped(chart.title))</text>

            """
        switch chart.kind {
        case .line, .scatter: out += plot()
        case .bar: out += bars()
        case .hist: out += histogram()
        }
        return out + "</svg>\n"
    }

    /// A coordinate to one decimal (0 if it is not a number).
    private func f(_ value: Double) -> String {
        let rounded = value.isFinite ? (value * 10).rounded() / 10 : 0
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) : String(rounded)
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // XML 1.0 allows no other control characters, even escaped.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Y axis (ticks, labels, grid lines, name) for `ticks` over [low, high].
    private func yAxis(_ ticks: [AxisTicks.Tick], low: Double, high: Double, frame: Frame, name: String) -> String {
        var out = "<g class=\"y-axis\">\n"
        for tick in ticks {
            let y = frame.bottom - (tick.value - low) / (high - low) * frame.height
            out += "<line x1=\"\(f(frame.left))\" y1=\"\(f(y))\" x2=\"\(f(frame.right))\" y2=\"\(f(y))\" stroke=\"#e5e5e5\"/>\n"
            out += "<line x1=\"\(f(frame.left - 5))\" y1=\"\(f(y))\" x2=\"\(f(frame.left))\" y2=\"\(f(y))\" stroke=\"black\"/>\n"
            out += "<text x=\"\(f(frame.left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(SVGChart.escaped(tick.label))</text>\n"
        }
        out += "<line x1=\"\(f(frame.left))\" y1=\"\(f(frame.top))\" x2=\"\(f(frame.left))\" y2=\"\(f(frame.bottom))\" stroke=\"black\"/>\n"
        out += "<text transform=\"translate(16 \(f(frame.top + frame.height / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVGChart.escaped(name))</text>\n"
        return out + "</g>\n"
    }

    /// X axis for `ticks` over [low, high].
    private func xAxis(_ ticks: [AxisTicks.Tick], low: Double, high: Double, frame: Frame, name: String) -> String {
        var out = "<g class=\"x-axis\">\n"
        for tick in ticks {
            let x = frame.left + (tick.value - low) / (high - low) * frame.width
            out += "<line x1=\"\(f(x))\" y1=\"\(f(frame.bottom))\" x2=\"\(f(x))\" y2=\"\(f(frame.bottom + 5))\" stroke=\"black\"/>\n"
            out += "<text x=\"\(f(x))\" y=\"\(f(frame.bottom + 19))\" text-anchor=\"middle\">\(SVGChart.escaped(tick.label))</text>\n"
        }
        out += "<line x1=\"\(f(frame.left))\" y1=\"\(f(frame.bottom))\" x2=\"\(f(frame.right))\" y2=\"\(f(frame.bottom))\" stroke=\"black\"/>\n"
        out += "<text x=\"\(f(frame.left + frame.width / 2))\" y=\"\(f(frame.bottom + 42))\" text-anchor=\"middle\">\(SVGChart.escaped(name))</text>\n"
        return out + "</g>\n"
    }

    private func legend(frame: Frame) -> String {
        guard chart.series.count > 1 else { return "" }
        var out = "<g class=\"legend\">\n"
        for (i, series) in chart.series.enumerated() {
            let y = frame.top + 8 + Double(i) * 18
            let color = SVGChart.colors[i % SVGChart.colors.count]
            out += "<rect x=\"\(f(frame.right - 150))\" y=\"\(f(y - 9))\" width=\"14\" height=\"10\" fill=\"\(color)\"/>\n"
            out += "<text x=\"\(f(frame.right - 130))\" y=\"\(f(y))\">\(SVGChart.escaped(series.name))</text>\n"
        }
        return out + "</g>\n"
    }

    private func plot() -> String {
        let points = chart.series.flatMap(\.points)
        guard let xMin = points.map(\.x).min(), let xMax = points.map(\.x).max(),
              let yMin = points.map(\.y).min(), let yMax = points.map(\.y).max() else { return "" }
        let y = AxisTicks.numeric(low: yMin, high: yMax, maxCount: 8)
        let labelWidth = Double(y.ticks.map(\.label.count).max() ?? 1) * 7
        let frame = Frame(left: 40 + labelWidth, top: 48, right: width - 24, bottom: height - 56)
        var xLow = xMin, xHigh = xMax
        let xTicks: [AxisTicks.Tick]
        if chart.xScale == .date {
            if xHigh <= xLow {
                xLow -= 1
                xHigh += 1
            }
            xTicks = AxisTicks.dates(low: xLow, high: xHigh, maxCount: max(2, Int(frame.width / 90)))
        } else {
            let numeric = AxisTicks.numeric(low: xMin, high: xMax, maxCount: max(2, Int(frame.width / 80)))
            (xTicks, xLow, xHigh) = (numeric.ticks, numeric.low, numeric.high)
        }
        var out = yAxis(y.ticks, low: y.low, high: y.high, frame: frame, name: chart.yName)
        out += xAxis(xTicks, low: xLow, high: xHigh, frame: frame, name: chart.xName)
        func position(_ point: Chart.Point) -> (x: String, y: String) {
            (f(frame.left + (point.x - xLow) / (xHigh - xLow) * frame.width),
             f(frame.bottom - (point.y - y.low) / (y.high - y.low) * frame.height))
        }
        for (i, series) in chart.series.enumerated() {
            let color = SVGChart.colors[i % SVGChart.colors.count]
            let name = SVGChart.escaped(series.name)
            if chart.kind == .line {
                out += "<polyline class=\"series\" data-name=\"\(name)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" stroke-linejoin=\"round\" points=\""
                out += series.points.map { let p = position($0); return p.x + "," + p.y }.joined(separator: " ") + "\"/>\n"
            } else {
                out += "<g class=\"series\" data-name=\"\(name)\" fill=\"\(color)\" fill-opacity=\"0.75\">\n"
                for point in series.points {
                    let p = position(point)
                    out += "<circle cx=\"\(p.x)\" cy=\"\(p.y)\" r=\"3\"/>\n"
                }
                out += "</g>\n"
            }
        }
        return out + legend(frame: frame)
    }

    /// Horizontal bars, one per row, labels on the left.
    private func bars() -> String {
        let values = chart.bars.map(\.value)
        let x = AxisTicks.numeric(low: min(0, values.min() ?? 0), high: max(0, values.max() ?? 0), maxCount: 8)
        let labelWidth = Double(min(30, chart.bars.map(\.label.count).max() ?? 1)) * 7
        // Room on the right for the longest bar's value.
        let frame = Frame(left: 24 + labelWidth, top: 48, right: width - 64, bottom: height - 56)
        var out = xAxis(x.ticks, low: x.low, high: x.high, frame: frame, name: chart.xName)
        let slot = frame.height / Double(max(1, chart.bars.count))
        func xPosition(_ value: Double) -> Double { frame.left + (value - x.low) / (x.high - x.low) * frame.width }
        out += "<g class=\"series\" data-name=\"\(SVGChart.escaped(chart.xName))\" fill=\"\(SVGChart.colors[0])\">\n"
        for (i, bar) in chart.bars.enumerated() {
            let top = frame.top + Double(i) * slot + slot * 0.15
            let start = xPosition(min(0, bar.value)), end = xPosition(max(0, bar.value))
            out += "<rect x=\"\(f(start))\" y=\"\(f(top))\" width=\"\(f(end - start))\" height=\"\(f(slot * 0.7))\"><title>\(SVGChart.escaped(bar.label)): \(bar.value)</title></rect>\n"
        }
        out += "</g>\n<g class=\"labels\">\n"
        for (i, bar) in chart.bars.enumerated() {
            let middle = frame.top + (Double(i) + 0.5) * slot + 4
            out += "<text x=\"\(f(frame.left - 8))\" y=\"\(f(middle))\" text-anchor=\"end\">\(SVGChart.escaped(GridRenderer.truncated(bar.label, to: 30)))</text>\n"
            // The value beside the bar's end, outside it.
            let end = xPosition(bar.value)
            let anchor = bar.value < 0 ? "end" : "start"
            out += "<text x=\"\(f(end + (bar.value < 0 ? -4 : 4)))\" y=\"\(f(middle))\" text-anchor=\"\(anchor)\" fill=\"#444\">\(DigitGrouping.grouped(Value.format(double: bar.value)))</text>\n"
        }
        return out + "</g>\n"
    }

    /// Vertical bars over the bins' numeric range.
    private func histogram() -> String {
        guard let first = chart.bins.first, let last = chart.bins.last else { return "" }
        let y = AxisTicks.numeric(low: 0, high: Double(chart.bins.map(\.count).max() ?? 1), maxCount: 8)
        let labelWidth = Double(y.ticks.map(\.label.count).max() ?? 1) * 7
        let frame = Frame(left: 40 + labelWidth, top: 48, right: width - 24, bottom: height - 56)
        let x = AxisTicks.numeric(low: first.low, high: last.high, maxCount: max(2, Int(frame.width / 80)))
        var out = yAxis(y.ticks, low: y.low, high: y.high, frame: frame, name: chart.yName)
        out += xAxis(x.ticks, low: x.low, high: x.high, frame: frame, name: chart.xName)
        func xPosition(_ value: Double) -> Double { frame.left + (value - x.low) / (x.high - x.low) * frame.width }
        out += "<g class=\"series\" data-name=\"count\" fill=\"\(SVGChart.colors[0])\" stroke=\"white\">\n"
        for bin in chart.bins {
            let top = frame.bottom - (Double(bin.count) - y.low) / (y.high - y.low) * frame.height
            out += "<rect x=\"\(f(xPosition(bin.low)))\" y=\"\(f(top))\" width=\"\(f(xPosition(bin.high) - xPosition(bin.low)))\" height=\"\(f(frame.bottom - top))\"><title>\(bin.count)</title></rect>\n"
        }
        return out + "</g>\n"
    }
}
