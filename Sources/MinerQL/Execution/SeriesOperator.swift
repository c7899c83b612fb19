// The table functions range(…) and generate_series(…): a column of integers or
// timestamps from a start towards a stop by a step, produced a chunk at a time
// so a long series never sits in memory whole.

/// What range/generate_series count: integers by an integer step, or
/// timestamps (microseconds) by an interval.
struct Series: Equatable {
    enum Step: Equatable {
        case integer(Int64)
        case interval(Interval)
    }

    var start: Int64
    var stop: Int64
    var step: Step
    /// generate_series includes the stop; range stops before it.
    var inclusive: Bool

    var type: DataType {
        if case .interval = step { return .timestamp }
        return .bigint
    }
}

final class SeriesOperator: Operator {
    private let series: Series
    private let ascending: Bool
    private var upcoming: Int64?
    private let cancellation: Cancellation

    init(_ series: Series, cancellation: Cancellation) {
        self.series = series
        self.cancellation = cancellation
        switch series.step {
        case .integer(let step): ascending = step > 0
        case .interval(let step): ascending = (Interval.add(step, toMicros: 0) ?? 0) > 0
        }
        self.upcoming = series.start
    }

    /// Whether `value` has not yet passed the stop in the step's direction.
    private func inRange(_ value: Int64) -> Bool {
        if ascending { return series.inclusive ? value <= series.stop : value < series.stop }
        return series.inclusive ? value >= series.stop : value > series.stop
    }

    func next() throws -> DataChunk? {
        guard var value = upcoming else { return nil }
        try cancellation.check()
        var values: [Int64] = []
        values.reserveCapacity(DataChunk.capacity)
        while values.count < DataChunk.capacity {
            let following: Int64?
            switch series.step {
            case .integer(let step):
                let (sum, overflow) = value.addingReportingOverflow(step)
                following = overflow ? nil : sum
            case .interval(let step):
                following = Interval.add(step, toMicros: value)
            }
            guard inRange(value) else {
                upcoming = nil
                break
            }
            values.append(value)
            guard let following else {
                upcoming = nil
                break
            }
            value = following
            upcoming = following
        }
        if values.isEmpty { return nil }
        let data: VectorData = series.type == .timestamp ? .timestamp(values) : .bigint(values)
        return DataChunk(columns: [Vector(data)], count: values.count)
    }
}
