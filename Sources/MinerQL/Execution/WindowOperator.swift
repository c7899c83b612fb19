// Window functions: the input is materialized, then for each window the rows
// are ordered by (partition keys, order keys) — radix-sorted on the sort's
// codes, on every core — and the partitions are walked, shared out among the
// cores. Ranking and offset functions look at positions and peers;
// aggregates over frames use prefix sums (sum, count, avg) or a running or
// scanned extreme (min, max); every other aggregate, and any with FILTER or
// DISTINCT, folds its frames into aggregate states. Results are computed in
// window order, then return to the input's row order. Under a filter that
// keeps row numbers up to k, only each partition's first k rows are found
// (PartitionTopK) and output.

final class WindowOperator: Operator {
    private let input: Operator
    private let types: [DataType]
    private let windows: [BoundWindow]
    private let compiler: ExpressionCompiler
    /// Set when a filter above keeps only rows whose row number (the one
    /// window, a row_number) is at most this: only those rows are output.
    private let rowNumberLimit: Int?
    private var cursor: ChunkCursor?

    init(input: Operator, types: [DataType], windows: [BoundWindow], compiler: ExpressionCompiler,
         rowNumberLimit: Int? = nil) throws {
        self.input = input
        self.types = types
        self.windows = windows
        self.compiler = compiler
        self.rowNumberLimit = rowNumberLimit
    }

    func next() throws -> DataChunk? {
        var current = try cursor ?? ChunkCursor(try computeAll())
        defer { cursor = current }
        return current.next()
    }

    private func computeAll() throws -> DataChunk {
        let all = try input.materialize(types: types, context: compiler.context)
        if let limit = rowNumberLimit, windows.count == 1, let window = windows.first, window.function == .rowNumber,
           !window.orderBy.isEmpty, limit <= PartitionTopK.maximumK {
            let partitions = try window.partitionBy.map { try compiler.compile($0)(all) }
            let order = try window.orderBy.map {
                (vector: try compiler.compile($0.expression)(all), descending: $0.descending, nullsFirst: $0.nullsFirst)
            }
            if let (rows, numbers) = try PartitionTopK.rows(partitions: partitions, order: order, count: all.count, k: limit,
                                                           context: compiler.context) {
                let kept = all.gathered(rows)
                return DataChunk(columns: kept.columns + [Vector(.bigint(numbers))], count: rows.count)
            }
        }
        var columns = all.columns
        for window in windows {
            try compiler.context.cancellation.check()
            columns.append(try compute(window, over: all))
        }
        return DataChunk(columns: columns, count: all.count)
    }

    private func compute(_ window: BoundWindow, over all: DataChunk) throws -> Vector {
        let n = all.count
        let partitionVectors = try window.partitionBy.map { try compiler.compile($0)(all) }
        let partitionComparators = partitionVectors.map { SortOperator.comparator($0, descending: false, nullsFirst: false) }
        let orderVectors = try window.orderBy.map { try compiler.compile($0.expression)(all) }
        let orderComparators = zip(window.orderBy, orderVectors).map {
            SortOperator.comparator($1, descending: $0.descending, nullsFirst: $0.nullsFirst)
        }
        let arguments = try window.arguments.map { try compiler.compile($0)(all) }
        var folded: AggregateInputs?
        if case .aggregate(let call) = window.function, !call.function.hasFrameShortcut || call.filter != nil || call.distinct {
            folded = try AggregateInputs(call, compiler: compiler, over: all)
        }
        let keys = partitionVectors.map { (vector: $0, descending: false, nullsFirst: false) }
            + zip(window.orderBy, orderVectors).map { (vector: $1, descending: $0.descending, nullsFirst: $0.nullsFirst) }
        let (order, codes) = try rowOrder(keys, count: n, comparators: partitionComparators + orderComparators)
        // Where each partition starts, in window order, then n.
        var starts = n > 0 ? [0] : []
        if let partitionCodes = codes?.prefix(partitionVectors.reduce(0) { $0 + SortOperator.codeArrayCount($1) }) {
            for p in 1..<max(1, n) where partitionCodes.contains(where: { $0[order[p - 1]] != $0[order[p]] }) { starts.append(p) }
        } else {
            for p in 1..<max(1, n) where !partitionComparators.allSatisfy({ $0(order[p - 1], order[p]) == 0 }) { starts.append(p) }
        }
        starts.append(n)
        // Where a row's order keys differ from the previous row's, in window
        // order, from the sort codes (equal codes are equal keys): no
        // comparator calls per row.
        var peerBreaks: [Bool]?
        if let codes, !window.orderBy.isEmpty {
            let orderCodes = Array(codes.dropFirst(partitionVectors.reduce(0) { $0 + SortOperator.codeArrayCount($1) }))
            var breaks = [Bool](repeating: false, count: n)
            breaks.withUnsafeMutableBufferPointer { breaks in
                order.withUnsafeBufferPointer { order in
                    for keyCodes in orderCodes {
                        keyCodes.withUnsafeBufferPointer { keyCodes in
                            for p in 1..<max(1, n) where keyCodes[order[p - 1]] != keyCodes[order[p]] { breaks[p] = true }
                        }
                    }
                }
            }
            peerBreaks = breaks
        }
        // The partitions shared out among the threads in runs of near-equal
        // rows; each computes its run's results in window order.
        let partitions = starts.count - 1
        let threads = max(1, min(compiler.context.threads(forRows: n), partitions))
        var cuts = [0]
        for t in 1..<threads {
            let target = n * t / threads
            var k = cuts[t - 1]
            while k < partitions && starts[k] < target { k += 1 }
            cuts.append(k)
        }
        cuts.append(partitions)
        let cancellation = compiler.context.cancellation
        let run = { (t: Int) throws -> Vector in
            let first = starts[cuts[t]]
            var results = WindowResults(window.type, count: starts[cuts[t + 1]] - first)
            var sinceCheck = 0
            for k in cuts[t]..<cuts[t + 1] {
                try self.computePartition(window, rows: Array(order[starts[k]..<starts[k + 1]]), at: starts[k] - first,
                                          peerBreaks: peerBreaks?[starts[k]..<starts[k + 1]],
                                          orderComparators: orderComparators, orderVectors: orderVectors,
                                          arguments: arguments, folded: folded, into: &results)
                sinceCheck += starts[k + 1] - starts[k]
                if sinceCheck >= DataChunk.capacity {
                    try cancellation.check()
                    sinceCheck = 0
                }
            }
            return results.build()
        }
        let runs = threads > 1 ? try DeepStack.parallel(threads, run) : [try run(0)]
        var inWindowOrder = runs[0]
        if runs.count > 1 {
            var builder = VectorBuilder(window.type, capacity: n)
            for vector in runs { builder.append(vector) }
            inWindowOrder = builder.build()
        }
        // Back to the input's row order.
        guard order.indices.contains(where: { order[$0] != $0 }) else { return inWindowOrder }
        var positions = [Int](repeating: 0, count: n)
        for (position, row) in order.enumerated() { positions[row] = position }
        return try inWindowOrder.gathered(positions, threads: compiler.context.threads(forRows: n))
    }

    /// Row numbers ordered by the keys in turn, ties in input order, and the
    /// keys' codes: by the sort's radix codes on every core, or by comparing
    /// rows when a key has no codes (INTERVAL; no codes then).
    private func rowOrder(_ keys: [(vector: Vector, descending: Bool, nullsFirst: Bool)], count: Int,
                          comparators: [SortOperator.RowComparator]) throws -> (order: [Int], codes: [[UInt64]]?) {
        let threads = compiler.context.threads(forRows: count)
        guard let codes = try SortOperator.sortCodes(keys, threads: threads, cancellation: compiler.context.cancellation) else {
            var order = Array(0..<count)
            order.sort(by: SortOperator.precedes(comparators))
            return (order, nil)
        }
        guard !codes.isEmpty else { return (Array(0..<count), codes) }
        return (try RadixSort.order(codes, count: count, threads: threads, cancellation: compiler.context.cancellation), codes)
    }

    /// Computes one partition into `results` from position `base` on; `rows`
    /// are input row numbers in window order, `peerBreaks` (when known) the
    /// positions whose order keys differ from the previous row's.
    private func computePartition(_ window: BoundWindow, rows: [Int], at base: Int, peerBreaks: ArraySlice<Bool>?,
                                  orderComparators: [SortOperator.RowComparator],
                                  orderVectors: [Vector], arguments: [Vector], folded: AggregateInputs?,
                                  into results: inout WindowResults) throws {
        let count = rows.count
        // peerStart[i] / peerEnd[i]: the first and last position with the same
        // order keys (not needed by ROWS frames, nor by row numbers and offsets).
        let needsPeers: Bool
        switch window.function {
        case .rowNumber, .ntile, .lag, .lead: needsPeers = false
        case .rank, .denseRank, .percentRank, .cumeDist: needsPeers = true
        case .firstValue, .lastValue, .nthValue, .aggregate: needsPeers = window.frame.unit != .rows
        }
        var peerStart = [Int](repeating: 0, count: needsPeers ? count : 0)
        var peerEnd = [Int](repeating: 0, count: needsPeers ? count : 0)
        var groupStart = 0
        for i in 0..<(needsPeers ? count : 0) {
            if i > 0 && (peerBreaks.map { $0[$0.startIndex + i] } ?? !orderComparators.allSatisfy({ $0(rows[i - 1], rows[i]) == 0 })) {
                groupStart = i
            }
            peerStart[i] = groupStart
        }
        var groupEnd = count - 1
        for i in stride(from: needsPeers ? count - 1 : -1, through: 0, by: -1) {
            if i < count - 1 && peerStart[i + 1] != peerStart[i] { groupEnd = i }
            peerEnd[i] = groupEnd
        }
        func argument(_ index: Int, _ position: Int) -> Value { arguments[index].value(at: rows[position]) }

        switch window.function {
        case .rowNumber:
            for i in 0..<count { results.setInteger(base + i, Int64(i + 1)) }
        case .rank:
            for i in 0..<count { results.setInteger(base + i, Int64(peerStart[i] + 1)) }
        case .denseRank:
            var rank: Int64 = 0
            for i in 0..<count {
                if i == 0 || peerStart[i] != peerStart[i - 1] { rank += 1 }
                results.setInteger(base + i, rank)
            }
        case .percentRank:
            for i in 0..<count { results.setDouble(base + i, count > 1 ? Double(peerStart[i]) / Double(count - 1) : 0) }
        case .cumeDist:
            for i in 0..<count { results.setDouble(base + i, Double(peerEnd[i] + 1) / Double(count)) }
        case .ntile:
            for i in 0..<count {
                guard case .bigint(let buckets) = argument(0, i) else { continue }
                guard buckets > 0 else { throw MinerQLError(.invalidInput, "Argument for ntile must be greater than zero") }
                // The first count % buckets tiles hold one row more.
                let b = Int(min(buckets, Int64(count)))
                let size = count / b, extra = count % b
                let threshold = extra * (size + 1)
                let tile = i < threshold ? i / (size + 1) : extra + (i - threshold) / max(1, size)
                results.setInteger(base + i, Int64(tile + 1))
            }
        case .lag, .lead:
            for i in 0..<count {
                var offset: Int64 = 1
                if arguments.count > 1 {
                    guard case .bigint(let o) = argument(1, i) else { continue }
                    offset = o
                }
                let (target, overflow) = window.function == .lag ? Int64(i).subtractingReportingOverflow(offset) : Int64(i).addingReportingOverflow(offset)
                if !overflow && target >= 0 && target < Int64(count) {
                    results.set(base + i, argument(0, Int(target)))
                } else if arguments.count > 2 {
                    results.set(base + i, argument(2, i))
                }
            }
        case .firstValue, .lastValue, .nthValue, .aggregate:
            let bounds = try frameBounds(window.frame, count: count, rows: rows, peerStart: peerStart, peerEnd: peerEnd,
                                         orderVector: orderVectors.first, descending: window.orderBy.first?.descending ?? false)
            try computeFramed(window, rows: rows, at: base, bounds: bounds, arguments: arguments, folded: folded, into: &results)
        }
    }

    /// The frame of each position as a closed range of positions (empty when start > end).
    private func frameBounds(_ frame: BoundFrame, count: Int, rows: [Int], peerStart: [Int], peerEnd: [Int],
                             orderVector: Vector?, descending: Bool) throws -> [(start: Int, end: Int)] {
        func number(_ value: Value) -> Double {
            switch value {
            case .bigint(let i): return Double(i)
            case .double(let d): return d
            default: return 0
            }
        }
        // RANGE with an offset compares the single ORDER BY key numerically.
        func hasOffset(_ bound: BoundFrame.Bound) -> Bool {
            switch bound {
            case .preceding, .following: return true
            default: return false
            }
        }
        let comparesKeys = frame.unit != .rows && (hasOffset(frame.start) || hasOffset(frame.end))
        let keys: [Double]? = (comparesKeys ? orderVector : nil).map { vector in
            rows.map { row -> Double in
                switch vector.value(at: row) {
                case .bigint(let i): return Double(i)
                case .double(let d): return d
                case .date(let d): return Double(d)
                default: return .nan
                }
            }
        }
        func rangePosition(_ i: Int, offset: Double, forward: Bool, isStart: Bool) -> Int {
            guard let keys, !keys[i].isNaN else { return isStart ? peerStart[i] : peerEnd[i] }
            // In ascending order "following" means larger keys; descending flips it.
            let target = keys[i] + (forward != descending ? offset : -offset)
            if isStart {
                var p = i
                if forward { while p < count && !(descending ? keys[p] <= target : keys[p] >= target) { p += 1 } }
                else { while p > 0 && (descending ? keys[p - 1] <= target : keys[p - 1] >= target) { p -= 1 } }
                return p
            }
            var p = i
            if forward { while p + 1 < count && (descending ? keys[p + 1] >= target : keys[p + 1] <= target) { p += 1 } }
            else { while p >= 0 && !(descending ? keys[p] >= target : keys[p] <= target) { p -= 1 } }
            return p
        }
        func position(_ bound: BoundFrame.Bound, _ i: Int, isStart: Bool) -> Int {
            switch bound {
            case .unboundedPreceding: return 0
            case .unboundedFollowing: return count - 1
            case .currentRow:
                if frame.unit == .rows { return i }
                return isStart ? peerStart[i] : peerEnd[i]
            case .preceding(let value):
                if frame.unit == .rows { return i - Int(min(number(value), Double(count + 1))) }
                return rangePosition(i, offset: number(value), forward: false, isStart: isStart)
            case .following(let value):
                if frame.unit == .rows { return i + Int(min(number(value), Double(count + 1))) }
                return rangePosition(i, offset: number(value), forward: true, isStart: isStart)
            }
        }
        return (0..<count).map { i in
            (max(0, position(frame.start, i, isStart: true)), min(count - 1, position(frame.end, i, isStart: false)))
        }
    }

    private func computeFramed(_ window: BoundWindow, rows: [Int], at base: Int, bounds: [(start: Int, end: Int)],
                               arguments: [Vector], folded: AggregateInputs?, into results: inout WindowResults) throws {
        if let folded, case .aggregate(let call) = window.function {
            return try folded.fold(call, rows: rows, bounds: bounds, into: &results, at: base)
        }
        let count = rows.count
        func value(at position: Int) -> Value { arguments.first?.value(at: rows[position]) ?? .null }
        switch window.function {
        case .firstValue:
            for i in 0..<count where bounds[i].start <= bounds[i].end { results.set(base + i, value(at: bounds[i].start)) }
        case .lastValue:
            for i in 0..<count where bounds[i].start <= bounds[i].end { results.set(base + i, value(at: bounds[i].end)) }
        case .nthValue:
            for i in 0..<count {
                guard case .bigint(let nth) = arguments[1].value(at: rows[i]), nth >= 1 else { continue }
                let (p, overflow) = bounds[i].start.addingReportingOverflow(Int(clamping: nth) - 1)
                if !overflow && p <= bounds[i].end { results.set(base + i, value(at: p)) }
            }
        case .aggregate(let call):
            try aggregate(call.function, argument: arguments.first, rows: rows, bounds: bounds, into: &results, at: base)
        default:
            break
        }
    }

    /// count, sum, avg, min and max over frames, reading the argument's typed
    /// buffer: prefix sums for the first three, a running or scanned extreme
    /// for the others.
    private func aggregate(_ function: AggregateFunction, argument: Vector?, rows: [Int],
                           bounds: [(start: Int, end: Int)], into results: inout WindowResults, at base: Int) throws {
        let count = rows.count
        // Prefix counts of non-NULL values (all rows for count(*)).
        var counts = [Int](repeating: 0, count: count + 1)
        let hasNulls = argument?.mayHaveNulls ?? false
        for i in 0..<count { counts[i + 1] = counts[i] + (hasNulls && argument?.isNull(rows[i]) == true ? 0 : 1) }
        func frameCount(_ i: Int) -> Int { bounds[i].start > bounds[i].end ? 0 : counts[bounds[i].end + 1] - counts[bounds[i].start] }
        switch function {
        case .count:
            for i in 0..<count { results.setInteger(base + i, Int64(frameCount(i))) }
        case .sum, .avg:
            guard let argument else { return }
            if results.type == .bigint {
                // 128-bit prefix sums: no partition of Int64s can overflow them,
                // and a frame's difference is checked back into an Int64.
                var sums = [Int128](repeating: 0, count: count + 1)
                for i in 0..<count {
                    var v: Int64 = 0
                    if !hasNulls || !argument.isNull(rows[i]) {
                        switch argument.data {
                        case .bigint(let a): v = a[rows[i]]
                        case .boolean(let a): v = a[rows[i]] ? 1 : 0
                        default: break
                        }
                    }
                    sums[i + 1] = sums[i] + Int128(v)
                }
                for i in 0..<count where frameCount(i) > 0 {
                    guard let sum = Int64(exactly: sums[bounds[i].end + 1] - sums[bounds[i].start]) else {
                        throw MinerQLError(.outOfRange, "Overflow in SUM of INT64 values")
                    }
                    results.setInteger(base + i, sum)
                }
            } else {
                func number(_ position: Int) -> Double {
                    let row = rows[position]
                    if hasNulls && argument.isNull(row) { return 0 }
                    switch argument.data {
                    case .double(let a): return a[row]
                    case .bigint(let a): return Double(a[row])
                    default: return 0
                    }
                }
                var sums = [Double](repeating: 0, count: count + 1)
                for i in 0..<count { sums[i + 1] = sums[i] + number(i) }
                for i in 0..<count where frameCount(i) > 0 {
                    // A frame's sum straight from its values when prefix sums could lose precision (non-finite values).
                    var total = sums[bounds[i].end + 1] - sums[bounds[i].start]
                    if !total.isFinite || !sums[bounds[i].end + 1].isFinite {
                        total = (bounds[i].start...bounds[i].end).reduce(0.0) { $0 + number($1) }
                    }
                    results.setDouble(base + i, function == .avg ? total / Double(frameCount(i)) : total)
                }
            }
        case .min, .max:
            guard let argument else { return }
            let sign = function == .max ? 1 : -1
            let best: [Int]
            switch argument.data {
            case .bigint(let a) where results.type == .bigint:
                best = Self.extremes(rows: rows, bounds: bounds, argument: argument) { a[$0] == a[$1] ? 0 : (a[$0] < a[$1] ? -sign : sign) }
                for i in 0..<count where best[i] >= 0 { results.setInteger(base + i, a[best[i]]) }
            case .double(let a) where results.type == .double:
                best = Self.extremes(rows: rows, bounds: bounds, argument: argument) { sign * ValueOrder.compareDoubles(a[$0], a[$1]) }
                for i in 0..<count where best[i] >= 0 { results.setDouble(base + i, a[best[i]]) }
            default:
                best = Self.extremes(rows: rows, bounds: bounds, argument: argument) {
                    sign * ValueOrder.compare(argument.value(at: $0), argument.value(at: $1))
                }
                for i in 0..<count where best[i] >= 0 { results.set(base + i, argument.value(at: best[i])) }
            }
        default:
            // Other aggregates go through AggregateInputs.fold.
            throw MinerQLError.internal("\(function.rawValue) over a window without states")
        }
    }

    /// For each position, the input row of its frame's best non-NULL value
    /// (-1 when there is none); `order(x, y)` > 0 when row x's value is better
    /// than row y's. Frames that all start at the partition's start and only
    /// grow (running min/max) extend one best value; other frames are scanned.
    private static func extremes(rows: [Int], bounds: [(start: Int, end: Int)], argument: Vector,
                                 order: (Int, Int) -> Int) -> [Int] {
        let count = rows.count
        let hasNulls = argument.mayHaveNulls
        let growing = (0..<count).allSatisfy { bounds[$0].start == 0 && ($0 == 0 || bounds[$0].end >= bounds[$0 - 1].end) }
        var result = [Int](repeating: -1, count: count)
        var best = -1
        var reached = -1
        for i in 0..<count where bounds[i].start <= bounds[i].end {
            if !growing {
                best = -1
                reached = bounds[i].start - 1
            }
            while reached < bounds[i].end {
                reached += 1
                let row = rows[reached]
                if !(hasNulls && argument.isNull(row)) && (best < 0 || order(row, best) > 0) { best = row }
            }
            result[i] = best
        }
        return result
    }
}
