// Where an axis gets its ticks and what they say: round numbers (steps of 1, 2
// or 5 × 10^k) for numbers, calendar boundaries (days, weeks, months,
// quarters, years) for dates, so a price axis reads 60,000 / 80,000 / 100,000
// and a date axis 2025-01 / 2025-04 / 2025-07.
import Foundation
import MinerQL

enum AxisTicks {
    struct Tick: Equatable {
        var value: Double
        var label: String
    }

    /// Round-number ticks for [low, high], at most `maxCount` of them, and the
    /// range widened to the outer ticks.
    static func numeric(low: Double, high: Double, maxCount: Int) -> (ticks: [Tick], low: Double, high: Double) {
        var low = low, high = high
        if high <= low {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let count = max(2, maxCount)
        var step = niceStep(atLeast: (high - low) / Double(count - 1))
        var first = (low / step).rounded(.down) * step
        var last = (high / step).rounded(.up) * step
        while ((last - first) / step).rounded() + 1 > Double(count) {
            step = niceStep(atLeast: step * 1.01)
            first = (low / step).rounded(.down) * step
            last = (high / step).rounded(.up) * step
        }
        let steps = Chart.cells(((last - first) / step).rounded(), in: 0...count)
        let ticks = (0...steps).map { i -> Tick in
            let value = first + Double(i) * step
            return Tick(value: value, label: label(value, step: step))
        }
        return (ticks, first, last)
    }

    /// The smallest of 1, 2, 5 × 10^k at least `raw`.
    static func niceStep(atLeast raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * power >= raw * (1 - 1e-9) { return factor * power }
        return 10 * power
    }

    /// A tick value with as many decimals as the step needs, digits grouped;
    /// in scientific notation from 10^15.
    static func label(_ value: Double, step: Double) -> String {
        if abs(value) >= 1e15 || step >= 1e15 { return String(format: "%.3g", value) }
        let decimals = Chart.cells(-(log10(step).rounded(.down)), in: 0...10)
        let text = String(format: "%.\(decimals)f", abs(value) < step / 1e6 ? 0 : value)
        return DigitGrouping.grouped(text)
    }

    private enum Unit {
        case hours(Int), days(Int), months(Int)

        /// Roughly how many days one step is.
        var days: Double {
            switch self {
            case .hours(let n): return Double(n) / 24
            case .days(let n): return Double(n)
            case .months(let n): return Double(n) * 30.44
            }
        }
    }

    private static let dateUnits: [Unit] = [.hours(1), .hours(2), .hours(3), .hours(6), .hours(12),
                                            .days(1), .days(2), .days(7), .days(14),
                                            .months(1), .months(2), .months(3), .months(6),
                                            .months(12), .months(24), .months(60), .months(120), .months(240),
                                            .months(600), .months(1200)]

    /// Ticks at calendar boundaries inside [low, high] (days since the epoch),
    /// at most `maxCount`.
    static func dates(low: Double, high: Double, maxCount: Int) -> [Tick] {
        let span = max(high - low, 1.0 / 24)
        let unit = dateUnits.first { span / $0.days + 1 <= Double(max(2, maxCount)) } ?? .months(1200)
        var ticks: [Tick] = []
        switch unit {
        case .hours(let n):
            let step = Double(n) / 24
            var value = (low / step).rounded(.up) * step
            while value <= high + 1e-9 {
                let text = DateCodec.format(micros: Int64((value * 86_400_000_000).rounded()))
                ticks.append(Tick(value: value, label: String(text.dropFirst(5).prefix(11))))
                value += step
            }
        case .days(let n):
            // Weeks start on Mondays (day 4 after the epoch, a Thursday).
            let offset = n % 7 == 0 ? 4.0 : 0
            var day = ((low - offset) / Double(n)).rounded(.up) * Double(n) + offset
            while day <= high {
                ticks.append(Tick(value: day, label: DateCodec.format(days: Int32(day))))
                day += Double(n)
            }
        case .months(let n):
            let start = DateCodec.civil(days: Chart.cells(low, in: Int(Int32.min)...Int(Int32.max)))
            var index = start.year * 12 + start.month - 1
            index = (index + n - 1) / n * n
            while true {
                let year = index / 12, month = index % 12 + 1
                let day = Double(DateCodec.days(year: year, month: month, day: 1))
                if day > high { break }
                if day >= low {
                    let label = n % 12 == 0 ? String(year) : String(year) + "-" + (month < 10 ? "0" : "") + String(month)
                    ticks.append(Tick(value: day, label: label))
                }
                index += n
            }
        }
        return ticks
    }
}
