// Per-group accumulators for the aggregate functions. Each state keeps typed
// arrays indexed by group id and is updated a whole chunk at a time. The hot
// loops run in static functions over `inout` arrays: one exclusive access per
// chunk instead of a dynamically checked access per row of a class property.

/// The running state of one aggregate over all groups.
protocol AggregateState: AnyObject {
    /// Makes room for groups up to `groups - 1`.
    func resize(_ groups: Int)
    /// Room for `groups` groups to come without growing (a hint).
    func reserve(_ groups: Int)
    /// Folds in row `r` of `input` (and `second`, for two-argument functions)
    /// into group `ids[r]`, for the rows listed.
    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws
    func finalize() -> Vector
}

extension AggregateState {
    func reserve(_ groups: Int) {}
}

/// A state whose results over disjoint sets of rows combine, so one aggregate
/// can run on several threads and be merged.
protocol MergeableState: AggregateState {
    /// Folds in `other`, a state of the same kind: its group `g` is group
    /// `groups[g]` here (already sized), or is left out where that is -1.
    func merge(_ other: AggregateState, groups: [Int]) throws
}

extension BoundAggregate {
    /// Whether its state is a MergeableState.
    var merges: Bool {
        guard !distinct, orderBy.isEmpty else { return false }
        switch function {
        case .count, .sum, .avg, .varSamp, .varPop, .stddevSamp, .stddevPop, .corr, .median, .quantileCont,
             .boolAnd, .boolOr:
            return true
        case .min, .max: return [.bigint, .double, .date, .timestamp].contains(argument?.type ?? .null)
        default: return false
        }
    }
}

enum AggregateStates {
    static func make(_ aggregate: BoundAggregate) -> AggregateState {
        let inner: AggregateState
        let argumentType = aggregate.argument?.type ?? .null
        switch aggregate.function {
        case .count: inner = CountState(countsNulls: aggregate.argument == nil)
        case .sum:
            inner = aggregate.type == .bigint ? IntegerSumState() : DoubleSumState(average: false)
        case .avg: inner = DoubleSumState(average: true)
        case .min, .max:
            let wantsMax = aggregate.function == .max
            switch argumentType {
            case .bigint:
                inner = TypedExtremeState<Int64>(wantsMax: wantsMax, zero: 0, values: Kernels.bigints) {
                    Vector(.bigint($0), validity: $1)
                }
            case .double:
                // NaN sorts above every number, as in DuckDB.
                inner = TypedExtremeState<Double>(wantsMax: wantsMax, zero: 0, values: Kernels.doubles) {
                    Vector(.double($0), validity: $1)
                }
            case .timestamp:
                inner = TypedExtremeState<Int64>(wantsMax: wantsMax, zero: 0, values: Kernels.timestamps) {
                    Vector(.timestamp($0), validity: $1)
                }
            case .date:
                inner = TypedExtremeState<Int32>(wantsMax: wantsMax, zero: 0, values: Kernels.dates) {
                    Vector(.date($0), validity: $1)
                }
            default: inner = ExtremeState(type: argumentType, wantsMax: wantsMax)
            }
        case .varSamp, .varPop, .stddevSamp, .stddevPop: inner = MomentState(aggregate.function)
        case .corr: inner = CorrelationState()
        case .median: inner = QuantileState(fraction: 0.5)
        case .quantileCont:
            guard case .constant(.double(let fraction), _)? = aggregate.secondArgument else { return QuantileState(fraction: 0.5) }
            inner = QuantileState(fraction: fraction)
        case .boolAnd, .boolOr: inner = BooleanState(isAnd: aggregate.function == .boolAnd)
        case .argMax, .argMin: inner = ArgExtremeState(type: argumentType, wantsMax: aggregate.function == .argMax)
        case .stringAgg: inner = StringAggState(ordering: aggregate.distinct ? [] : aggregate.orderBy)
        }
        return aggregate.distinct ? DistinctState(inner) : inner
    }
}

final class CountState: AggregateState {
    fileprivate var counts: [Int64] = []
    private let countsNulls: Bool

    init(countsNulls: Bool) { self.countsNulls = countsNulls }

    func resize(_ groups: Int) {
        if counts.count < groups { counts.append(contentsOf: repeatElement(0, count: groups - counts.count)) }
    }

    func reserve(_ groups: Int) { counts.reserveCapacity(groups) }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        CountState.count(ids, countsNulls ? nil : input, rows, into: &counts)
    }

    private static func count(_ ids: [Int], _ input: Vector?, _ rows: [Int], into counts: inout [Int64]) {
        if counts.count == 1 {
            // One group (no GROUP BY).
            let nulls = input?.mayHaveNulls ?? false
            counts[0] += Int64(nulls ? rows.reduce(0) { $0 + (input?.isNull($1) == true ? 0 : 1) } : rows.count)
        } else if let input, input.mayHaveNulls {
            for row in rows where !input.isNull(row) { counts[ids[row]] += 1 }
        } else {
            counts.withUnsafeMutableBufferPointer { counts in
                for row in rows { counts[ids[row]] += 1 }
            }
        }
    }

    func finalize() -> Vector { Vector(.bigint(counts)) }
}

extension CountState: MergeableState {
    func merge(_ other: AggregateState, groups: [Int]) throws {
        guard let other = other as? CountState else { throw MinerQLError.internal("merging unlike states") }
        for (g, target) in groups.enumerated() where target >= 0 { counts[target] += other.counts[g] }
    }
}

final class IntegerSumState: AggregateState, MergeableState {
    private var sums: [Int64] = []
    private var seen: [Bool] = []

    func merge(_ other: AggregateState, groups: [Int]) throws {
        guard let other = other as? IntegerSumState else { throw MinerQLError.internal("merging unlike states") }
        for (g, target) in groups.enumerated() where target >= 0 && other.seen[g] {
            let (sum, overflow) = sums[target].addingReportingOverflow(other.sums[g])
            if overflow { throw MinerQLError(.outOfRange, "Overflow in SUM of INT64 values") }
            sums[target] = sum
            seen[target] = true
        }
    }

    func resize(_ groups: Int) {
        guard sums.count < groups else { return }
        sums.append(contentsOf: repeatElement(0, count: groups - sums.count))
        seen.append(contentsOf: repeatElement(false, count: groups - seen.count))
    }

    func reserve(_ groups: Int) {
        sums.reserveCapacity(groups)
        seen.reserveCapacity(groups)
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        let values: [Int64] = input.type == .boolean ? Logic.booleans(input).map { $0 ? 1 : 0 } : Kernels.bigints(input)
        try IntegerSumState.add(values, input, ids, rows, into: &sums, &seen)
    }

    private static func add(_ values: [Int64], _ input: Vector, _ ids: [Int], _ rows: [Int],
                            into sums: inout [Int64], _ seen: inout [Bool]) throws {
        let nulls = input.mayHaveNulls
        if sums.count == 1 {
            // One group (no GROUP BY): a running total in a register.
            var total = sums[0], any = false
            for row in rows where !nulls || !input.isNull(row) {
                let (sum, overflow) = total.addingReportingOverflow(values[row])
                if overflow { throw MinerQLError(.outOfRange, "Overflow in SUM of INT64 values") }
                total = sum
                any = true
            }
            sums[0] = total
            if any { seen[0] = true }
            return
        }
        try sums.withUnsafeMutableBufferPointer { sums in
            try seen.withUnsafeMutableBufferPointer { seen in
                for row in rows where !nulls || !input.isNull(row) {
                    let g = ids[row]
                    let (sum, overflow) = sums[g].addingReportingOverflow(values[row])
                    if overflow { throw MinerQLError(.outOfRange, "Overflow in SUM of INT64 values") }
                    sums[g] = sum
                    seen[g] = true
                }
            }
        }
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        for g in 0..<seen.count where !seen[g] { validity.setInvalid(g, count: seen.count) }
        return Vector(.bigint(sums), validity: validity)
    }
}

/// Sum of doubles, or average (sum / count) of any numeric input.
final class DoubleSumState: AggregateState, MergeableState {
    private var sums: [Double] = []
    private var counts: [Int64] = []
    private let average: Bool

    init(average: Bool) { self.average = average }

    func merge(_ other: AggregateState, groups: [Int]) throws {
        guard let other = other as? DoubleSumState else { throw MinerQLError.internal("merging unlike states") }
        for (g, target) in groups.enumerated() where target >= 0 {
            sums[target] += other.sums[g]
            counts[target] += other.counts[g]
        }
    }

    func resize(_ groups: Int) {
        guard sums.count < groups else { return }
        sums.append(contentsOf: repeatElement(0, count: groups - sums.count))
        counts.append(contentsOf: repeatElement(0, count: groups - counts.count))
    }

    func reserve(_ groups: Int) {
        sums.reserveCapacity(groups)
        counts.reserveCapacity(groups)
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        DoubleSumState.add(Kernels.doubles(input), input, ids, rows, into: &sums, &counts)
    }

    private static func add(_ values: [Double], _ input: Vector, _ ids: [Int], _ rows: [Int],
                            into sums: inout [Double], _ counts: inout [Int64]) {
        let nulls = input.mayHaveNulls
        if sums.count == 1 {
            // One group (no GROUP BY): the same additions, in registers.
            var total = sums[0], count = counts[0]
            for row in rows where !nulls || !input.isNull(row) {
                total += values[row]
                count += 1
            }
            sums[0] = total
            counts[0] = count
            return
        }
        sums.withUnsafeMutableBufferPointer { sums in
            counts.withUnsafeMutableBufferPointer { counts in
                if !nulls && rows.count == values.count {
                    for row in 0..<values.count {
                        sums[ids[row]] += values[row]
                        counts[ids[row]] += 1
                    }
                    return
                }
                for row in rows where !nulls || !input.isNull(row) {
                    sums[ids[row]] += values[row]
                    counts[ids[row]] += 1
                }
            }
        }
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        var output = sums
        for g in 0..<counts.count {
            if counts[g] == 0 {
                validity.setInvalid(g, count: counts.count)
            } else if average {
                output[g] = sums[g] / Double(counts[g])
            }
        }
        return Vector(.double(output), validity: validity)
    }
}

/// The types min and max keep unboxed, with SQL's order (NaN above every number).
protocol ExtremeElement {
    static func precedes(_ a: Self, _ b: Self) -> Bool
}

extension Int64: ExtremeElement {
    @inline(__always) static func precedes(_ a: Int64, _ b: Int64) -> Bool { a < b }
}

extension Int32: ExtremeElement {
    @inline(__always) static func precedes(_ a: Int32, _ b: Int32) -> Bool { a < b }
}

extension Double: ExtremeElement {
    @inline(__always) static func precedes(_ a: Double, _ b: Double) -> Bool { ValueOrder.compareDoubles(a, b) < 0 }
}

/// min or max over a numeric or date column, in a typed array per group.
final class TypedExtremeState<T: ExtremeElement>: AggregateState, MergeableState {
    private let wantsMax: Bool
    private let zero: T
    private let values: (Vector) -> [T]
    private let build: ([T], Validity) -> Vector
    private var best: [T] = []
    private var seen: [Bool] = []

    init(wantsMax: Bool, zero: T, values: @escaping (Vector) -> [T], build: @escaping ([T], Validity) -> Vector) {
        self.wantsMax = wantsMax
        self.zero = zero
        self.values = values
        self.build = build
    }

    func resize(_ groups: Int) {
        guard best.count < groups else { return }
        best.append(contentsOf: repeatElement(zero, count: groups - best.count))
        seen.append(contentsOf: repeatElement(false, count: groups - seen.count))
    }

    func reserve(_ groups: Int) {
        best.reserveCapacity(groups)
        seen.reserveCapacity(groups)
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        TypedExtremeState.fold(values(input), input, ids, rows, wantsMax: wantsMax, into: &best, &seen)
    }

    func merge(_ other: AggregateState, groups: [Int]) throws {
        guard let other = other as? TypedExtremeState<T> else { throw MinerQLError.internal("merging unlike states") }
        for (g, target) in groups.enumerated() where target >= 0 && other.seen[g] {
            let value = other.best[g]
            if !seen[target] || (wantsMax ? T.precedes(best[target], value) : T.precedes(value, best[target])) {
                best[target] = value
                seen[target] = true
            }
        }
    }

    @_specialize(where T == Double)
    @_specialize(where T == Int64)
    @_specialize(where T == Int32)
    private static func fold(_ column: [T], _ input: Vector, _ ids: [Int], _ rows: [Int], wantsMax: Bool,
                             into best: inout [T], _ seen: inout [Bool]) {
        let nulls = input.mayHaveNulls
        best.withUnsafeMutableBufferPointer { best in
            seen.withUnsafeMutableBufferPointer { seen in
                for row in rows where !nulls || !input.isNull(row) {
                    let g = ids[row], value = column[row]
                    if !seen[g] || (wantsMax ? T.precedes(best[g], value) : T.precedes(value, best[g])) {
                        best[g] = value
                        seen[g] = true
                    }
                }
            }
        }
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        for g in 0..<seen.count where !seen[g] { validity.setInvalid(g, count: seen.count) }
        return build(best, validity)
    }
}

/// min or max of any other type (text, booleans), kept as values.
final class ExtremeState: AggregateState {
    private let type: DataType
    private let wantsMax: Bool
    private var best: [Value] = []

    init(type: DataType, wantsMax: Bool) {
        self.type = type
        self.wantsMax = wantsMax
    }

    func resize(_ groups: Int) {
        if best.count < groups { best.append(contentsOf: repeatElement(Value.null, count: groups - best.count)) }
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        for row in rows where !input.isNull(row) {
            let value = input.value(at: row)
            let g = ids[row]
            if best[g].isNull {
                best[g] = value
            } else {
                let order = ValueOrder.compare(value, best[g])
                if wantsMax ? order > 0 : order < 0 { best[g] = value }
            }
        }
    }

    func finalize() -> Vector {
        var builder = VectorBuilder(type, capacity: best.count)
        for value in best { builder.append(value) }
        return builder.build()
    }
}

/// A value within a group, for DISTINCT aggregates.
struct GroupedKey: KeyMapKey {
    var group: Int
    var value: Int64

    var keyMapHash: UInt64 { value.keyMapHash ^ (UInt64(bitPattern: Int64(group)) &* 0xC2B2_AE3D_27D4_EB4F) }
}

/// Feeds each distinct (group, value) pair to the inner state once. Numbers,
/// dates and timestamps are remembered as Int64 codes, text by the id of its
/// bytes in a dictionary, in KeyMaps; other types as Values.
final class DistinctState: AggregateState {
    private struct Seen: Hashable {
        var group: Int
        var value: Value
    }

    private let inner: AggregateState
    private var integers = KeyMap<[GroupedKey]>()
    private var texts = KeyMap<StringVector>()
    private var others = Set<Seen>()

    init(_ inner: AggregateState) { self.inner = inner }

    func resize(_ groups: Int) { inner.resize(groups) }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return try inner.update(ids, nil, second, rows: rows) }
        var fresh: [Int] = []
        switch input.data {
        case .bigint(let values), .timestamp(let values):
            DistinctState.firstSeen(values, input, ids, rows, in: &integers, into: &fresh)
        case .date(let values):
            DistinctState.firstSeen(values.map(Int64.init), input, ids, rows, in: &integers, into: &fresh)
        case .double(let values):
            // Equal doubles share a code: -0.0 is 0.0, every NaN is one value.
            let codes = values.map { Int64(bitPattern: ($0.isNaN ? Double.nan : ($0 == 0 ? 0 : $0)).bitPattern) }
            DistinctState.firstSeen(codes, input, ids, rows, in: &integers, into: &fresh)
        case .varchar(let strings):
            var codes = [Int64](repeating: 0, count: input.count)
            strings.withReader { reader in
                for row in rows where !input.isNull(row) {
                    codes[row] = Int64(texts.value(reader, row, inserting: texts.count) ?? texts.count - 1)
                }
            }
            DistinctState.firstSeen(codes, input, ids, rows, in: &integers, into: &fresh)
        default:
            for row in rows where !input.isNull(row) {
                if others.insert(Seen(group: ids[row], value: input.value(at: row))).inserted { fresh.append(row) }
            }
        }
        try inner.update(ids, input, second, rows: fresh)
    }

    /// Appends to `fresh` the rows whose (group, value) `seen` did not hold yet.
    /// A row repeating the previous row's pair (clustered data) is known seen
    /// without a lookup.
    private static func firstSeen(_ values: [Int64], _ input: Vector, _ ids: [Int], _ rows: [Int],
                                  in seen: inout KeyMap<[GroupedKey]>, into fresh: inout [Int]) {
        let nulls = input.mayHaveNulls
        var previous = -1
        for row in rows where !nulls || !input.isNull(row) {
            defer { previous = row }
            if previous >= 0 && ids[previous] == ids[row] && values[previous] == values[row] { continue }
            if seen.value(for: GroupedKey(group: ids[row], value: values[row]), inserting: 0) == nil { fresh.append(row) }
        }
    }

    func finalize() -> Vector { inner.finalize() }
}
