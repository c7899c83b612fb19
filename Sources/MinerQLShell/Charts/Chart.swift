// What `.chart` draws, independent of where: the kind, the axes and the data
// taken from a query result (NULLs skipped). TerminalChart draws it with
// braille and block characters, SVGChart as a standalone SVG file.
import MinerQL

struct Chart: Equatable {
    enum Kind: String, CaseIterable {
        case line, bar, scatter, hist
    }

    /// How values on the X axis are read and labelled.
    enum Scale: Equatable {
        case number
        /// X is days since 1970-01-01 (DATE; TIMESTAMP in fractional days).
        case date
    }

    struct Point: Equatable {
        var x: Double
        var y: Double
    }

    struct Series: Equatable {
        var name: String
        /// In the result's order; a line joins them by increasing X.
        var points: [Point]
    }

    struct Bar: Equatable {
        var label: String
        var value: Double
    }

    /// A histogram bin: values in [low, high) (the last bin includes high).
    struct Bin: Equatable {
        var low: Double
        var high: Double
        var count: Int
    }

    var kind: Kind
    var title: String
    var xName: String
    var yName: String
    var xScale = Scale.number
    /// line and scatter.
    var series: [Series] = []
    /// bar.
    var bars: [Bar] = []
    /// hist.
    var bins: [Bin] = []
}

extension Chart {
    /// Where a chart request went wrong, in words for the user.
    struct Problem: Error, Equatable {
        let message: String
    }

    /// The chart `kind` of `columns` of `result` (for hist, the column and
    /// optionally the number of bins).
    init(kind: Kind, columns: [String], title: String?, result: QueryResult) throws {
        func column(_ name: String) throws -> Int {
            if let index = result.names.firstIndex(of: name) ?? result.names.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
                return index
            }
            var message = "no column \"\(name)\" in the previous result"
            if let suggestion = closestMatch(to: name, in: result.names) { message += "; did you mean \"\(suggestion)\"?" }
            throw Problem(message: message + " (columns: \(result.names.joined(separator: ", ")))")
        }
        func numeric(_ index: Int) throws {
            guard [.bigint, .double, .null].contains(result.types[index]) else {
                throw Problem(message: "column \"\(result.names[index])\" is \(result.types[index]); .chart \(kind.rawValue) needs numbers there")
            }
        }
        let usage: String
        switch kind {
        case .line: usage = ".chart line X Y [Y2 …]"
        case .scatter: usage = ".chart scatter X Y"
        case .bar: usage = ".chart bar LABEL VALUE"
        case .hist: usage = ".chart hist COLUMN [BINS]"
        }
        let counts: ClosedRange<Int> = kind == .line ? 2...32 : kind == .hist ? 1...2 : 2...2
        guard counts.contains(columns.count) else { throw Problem(message: "Usage: " + usage) }

        switch kind {
        case .line, .scatter:
            let x = try column(columns[0])
            let ys = try columns.dropFirst().map(column)
            for y in ys { try numeric(y) }
            let scale: Scale
            switch result.types[x] {
            case .bigint, .double, .null: scale = .number
            case .date, .timestamp: scale = .date
            default:
                throw Problem(message: "column \"\(result.names[x])\" is \(result.types[x]); X must be a number, DATE or TIMESTAMP")
            }
            self.init(kind: kind, title: "", xName: result.names[x], yName: ys.map { result.names[$0] }.joined(separator: ", "), xScale: scale)
            series = ys.map { Series(name: result.names[$0], points: []) }
            for row in Chart.rows(of: result, columns: [x] + ys) {
                guard let xValue = Chart.number(row[0]) else { continue }
                for (i, value) in row.dropFirst().enumerated() {
                    if let y = Chart.number(value) { series[i].points.append(Point(x: xValue, y: y)) }
                }
            }
            if kind == .line {
                for i in series.indices { series[i].points.sort { $0.x < $1.x } }
            }
            guard series.contains(where: { !$0.points.isEmpty }) else { throw Problem(message: "nothing to draw: no row has both values") }
        case .bar:
            let label = try column(columns[0]), value = try column(columns[1])
            try numeric(value)
            self.init(kind: kind, title: "", xName: result.names[value], yName: result.names[label])
            for row in Chart.rows(of: result, columns: [label, value]) {
                guard let v = Chart.number(row[1]) else { continue }
                bars.append(Bar(label: row[0].isNull ? "NULL" : TerminalText.escaped(row[0].description), value: v))
            }
            guard !bars.isEmpty else { throw Problem(message: "nothing to draw: every value is NULL") }
        case .hist:
            let index = try column(columns[0])
            try numeric(index)
            var binCount = 10
            if columns.count == 2 {
                guard let n = Int(columns[1]), (1...1000).contains(n) else {
                    throw Problem(message: "the number of bins must be from 1 to 1000, not \"\(columns[1])\"")
                }
                binCount = n
            }
            self.init(kind: kind, title: "", xName: result.names[index], yName: "count")
            let values = Chart.rows(of: result, columns: [index]).compactMap { Chart.number($0[0]) }.filter(\.isFinite)
            guard let low = values.min(), let high = values.max() else { throw Problem(message: "nothing to draw: every value is NULL") }
            bins = Chart.histogram(values, low: low, high: high, bins: binCount)
        }
        // Column names and a --title are shown in the terminal too: escaped
        // like data, so none can carry a control sequence there.
        xName = TerminalText.escaped(xName)
        yName = TerminalText.escaped(yName)
        for i in series.indices { series[i].name = TerminalText.escaped(series[i].name) }
        self.title = TerminalText.escaped(title ?? Chart.defaultTitle(kind: kind, xName: xName, yName: yName))
    }

    static func defaultTitle(kind: Kind, xName: String, yName: String) -> String {
        switch kind {
        case .line, .scatter: return "\(yName) by \(xName)"
        case .bar: return "\(xName) by \(yName)"
        case .hist: return "distribution of \(xName)"
        }
    }

    /// The values of `columns` row by row, reading only those columns.
    private static func rows(of result: QueryResult, columns: [Int]) -> [[Value]] {
        var rows: [[Value]] = []
        rows.reserveCapacity(result.rowCount)
        for chunk in result.chunks {
            for row in 0..<chunk.count { rows.append(columns.map { chunk.columns[$0].value(at: row) }) }
        }
        return rows
    }

    /// Values beyond this are drawn at it, so that every span and step the
    /// axes compute stays finite.
    static let largestMagnitude = Double.greatestFiniteMagnitude / 4

    /// A value on an axis: numbers as they are (within ±`largestMagnitude`),
    /// dates in days since the epoch, timestamps in fractional days; nil for
    /// NULL, infinities, NaN and the other types.
    static func number(_ value: Value) -> Double? {
        switch value {
        case .bigint(let i): return Double(i)
        case .double(let d): return d.isFinite ? min(max(d, -largestMagnitude), largestMagnitude) : nil
        case .date(let days): return Double(days)
        case .timestamp(let micros): return Double(micros) / 86_400_000_000
        default: return nil
        }
    }

    /// `value` rounded down to an Int within `range` (NaN: its lower end):
    /// drawing arithmetic on extreme values must not trap.
    static func cells(_ value: Double, in range: ClosedRange<Int>) -> Int {
        guard !value.isNaN else { return range.lowerBound }
        return Int(min(max(value.rounded(.down), Double(range.lowerBound)), Double(range.upperBound)))
    }

    /// Equal-width bins from `low` to `high`; a single value gets one bin around it.
    static func histogram(_ values: [Double], low: Double, high: Double, bins: Int) -> [Bin] {
        let span = high > low ? high - low : 1
        let start = high > low ? low : low - 0.5
        let width = span / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for value in values {
            counts[cells((value - start) / width, in: 0...(bins - 1))] += 1
        }
        return counts.enumerated().map { i, count in
            Bin(low: start + Double(i) * width, high: i == bins - 1 ? start + span : start + Double(i + 1) * width, count: count)
        }
    }
}
