// Any aggregate over window frames, through the same aggregate states GROUP BY
// uses: frames that only grow from the partition's start (running totals) feed
// one state row by row and read it after each row; other frames each fold into
// a group of their own, a batch of frames at a time, so the work is the sum of
// the frame sizes.

/// An aggregate's argument, second argument, FILTER and ORDER BY keys,
/// evaluated over all of the window operator's input rows.
struct AggregateInputs {
    private let argument: Vector?
    private let second: Vector?
    /// Rows the FILTER keeps; nil without FILTER.
    private let kept: [Bool]?
    private let orderKeys: [Vector]

    /// Frame members folded per batch: bounds the memory of sliding frames.
    private static let batchMembers = 1 << 16

    init(_ call: BoundAggregate, compiler: ExpressionCompiler, over all: DataChunk) throws {
        argument = try call.argument.map { try compiler.compile($0)(all) }
        second = try call.secondArgument.map { try compiler.compile($0)(all) }
        kept = try call.filter.map { Logic.trueRows(try compiler.compile($0)(all)) }
        orderKeys = try call.orderBy.map { try compiler.compile($0.expression)(all) }
    }

    /// Sets position `base + i` of `results` to the aggregate over positions
    /// `bounds[i].start...bounds[i].end` of `rows` (empty when start > end).
    func fold(_ call: BoundAggregate, rows: [Int], bounds: [(start: Int, end: Int)], into results: inout WindowResults,
              at base: Int) throws {
        let count = rows.count
        let growing = (0..<count).allSatisfy { bounds[$0].start == 0 && ($0 == 0 || bounds[$0].end >= bounds[$0 - 1].end) }
        if growing {
            let state = AggregateStates.make(call)
            state.resize(1)
            var reached = -1
            for i in 0..<count {
                let end = bounds[i].end
                if end > reached {
                    try update(state, groups: Array(repeating: 0, count: end - reached), members: Array(rows[(reached + 1)...end]))
                    reached = end
                }
                results.set(base + i, bounds[i].start <= end ? state.finalize().value(at: 0) : try empty(call))
            }
            return
        }
        var first = 0
        while first < count {
            var groups: [Int] = [], members: [Int] = []
            var last = first
            while last < count && (members.isEmpty || members.count + frameSize(bounds[last]) <= AggregateInputs.batchMembers) {
                if bounds[last].start <= bounds[last].end {
                    for p in bounds[last].start...bounds[last].end {
                        groups.append(last - first)
                        members.append(rows[p])
                    }
                }
                last += 1
            }
            let state = AggregateStates.make(call)
            state.resize(last - first)
            try update(state, groups: groups, members: members)
            let values = state.finalize()
            for i in first..<last { results.set(base + i, values.value(at: i - first)) }
            first = last
        }
    }

    private func frameSize(_ bound: (start: Int, end: Int)) -> Int { max(0, bound.end - bound.start + 1) }

    /// Folds input rows `members` into `groups` (one group per member).
    private func update(_ state: AggregateState, groups: [Int], members: [Int]) throws {
        var positions = Array(groups.indices)
        if let kept { positions = positions.filter { kept[members[$0]] } }
        let input = argument?.gathered(members)
        let secondInput = second?.gathered(members)
        if let ordered = state as? StringAggState, !orderKeys.isEmpty {
            try ordered.update(groups, input, secondInput, keys: orderKeys.map { $0.gathered(members) }, rows: positions)
        } else {
            try state.update(groups, input, secondInput, rows: positions)
        }
    }

    /// The aggregate of no rows (0 for count, NULL otherwise).
    private func empty(_ call: BoundAggregate) throws -> Value {
        let state = AggregateStates.make(call)
        state.resize(1)
        return state.finalize().value(at: 0)
    }
}
