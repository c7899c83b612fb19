// Aggregate states beyond sum and count: variance and standard deviation
// (Welford's online algorithm, numerically stable), correlation, exact
// quantiles, boolean and/or, arg_max/arg_min, and string_agg.
import Glibc

/// var_samp, var_pop, stddev_samp, stddev_pop: count, mean and sum of squared
/// deviations per group; partial states merge by Chan's formula.
final class MomentState: AggregateState, MergeableState {
    private let function: AggregateFunction
    private var moments = Moments()

    init(_ function: AggregateFunction) { self.function = function }

    func resize(_ groups: Int) { moments.resize(groups) }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        Moments.fold(Kernels.doubles(input), input, ids, rows, into: &moments)
    }

    func merge(_ other: AggregateState, groups: [Int]) throws {
        guard let other = other as? MomentState else { throw MinerQLError.internal("merging unlike states") }
        moments.merge(other.moments, groups: groups)
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        let sample = function == .varSamp || function == .stddevSamp
        let groups = moments.counts.count
        let output = (0..<groups).map { g -> Double in
            let n = moments.counts[g]
            guard n > (sample ? 1 : 0) else {
                validity.setInvalid(g, count: groups)
                return 0
            }
            let variance = moments.m2[g] / (sample ? n - 1 : n)
            return function == .stddevSamp || function == .stddevPop ? variance.squareRoot() : variance
        }
        return Vector(.double(output), validity: validity)
    }
}

/// Welford's running count, mean and sum of squared deviations of each group.
struct Moments {
    var counts: [Double] = [], means: [Double] = [], m2: [Double] = []

    mutating func resize(_ groups: Int) {
        guard counts.count < groups else { return }
        let extra = groups - counts.count
        counts += repeatElement(0, count: extra)
        means += repeatElement(0, count: extra)
        m2 += repeatElement(0, count: extra)
    }

    static func fold(_ values: [Double], _ input: Vector, _ ids: [Int], _ rows: [Int], into m: inout Moments) {
        let nulls = input.mayHaveNulls
        m.counts.withUnsafeMutableBufferPointer { counts in
            m.means.withUnsafeMutableBufferPointer { means in
                m.m2.withUnsafeMutableBufferPointer { m2 in
                    for row in rows where !nulls || !input.isNull(row) {
                        let g = ids[row], x = values[row]
                        counts[g] += 1
                        let delta = x - means[g]
                        means[g] += delta / counts[g]
                        m2[g] += delta * (x - means[g])
                    }
                }
            }
        }
    }

    /// Folds in `other`'s group g as group `groups[g]` (none where it is -1).
    mutating func merge(_ other: Moments, groups: [Int]) {
        for (g, target) in groups.enumerated() where target >= 0 && other.counts[g] > 0 {
            let na = counts[target], nb = other.counts[g], n = na + nb
            let delta = other.means[g] - means[target]
            means[target] += delta * nb / n
            m2[target] += other.m2[g] + delta * delta * na * nb / n
            counts[target] = n
        }
    }
}

/// corr(y, x): Pearson's correlation from online co-moments; partial states
/// merge by the pairwise formulas.
final class CorrelationState: AggregateState, MergeableState {
    private var x = Moments(), y = Moments()
    /// The sum of products of deviations from the two means.
    private var cxy: [Double] = []

    func resize(_ groups: Int) {
        guard cxy.count < groups else { return }
        x.resize(groups)
        y.resize(groups)
        cxy += repeatElement(0, count: groups - cxy.count)
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input, let second else { return }
        let both = input.mayHaveNulls || second.mayHaveNulls
            ? rows.filter { !input.isNull($0) && !second.isNull($0) } : rows
        CorrelationState.fold(Kernels.doubles(input), Kernels.doubles(second), ids, both, &x, &y, &cxy)
    }

    private static func fold(_ ys: [Double], _ xs: [Double], _ ids: [Int], _ rows: [Int],
                             _ x: inout Moments, _ y: inout Moments, _ cxy: inout [Double]) {
        // Both counts are always equal: x's serve for the two (y's are set
        // from them before a merge reads them).
        x.counts.withUnsafeMutableBufferPointer { counts in
            x.means.withUnsafeMutableBufferPointer { meanX in
                y.means.withUnsafeMutableBufferPointer { meanY in
                    x.m2.withUnsafeMutableBufferPointer { m2x in
                        y.m2.withUnsafeMutableBufferPointer { m2y in
                            cxy.withUnsafeMutableBufferPointer { cxy in
                                for row in rows {
                                    let g = ids[row], xv = xs[row], yv = ys[row]
                                    let n = counts[g] + 1
                                    counts[g] = n
                                    let dx = xv - meanX[g]
                                    meanX[g] += dx / n
                                    let dy = yv - meanY[g]
                                    meanY[g] += dy / n
                                    m2x[g] += dx * (xv - meanX[g])
                                    m2y[g] += dy * (yv - meanY[g])
                                    cxy[g] += dx * (yv - meanY[g])
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func merge(_ other: AggregateState, groups: [Int]) throws {
        guard let other = other as? CorrelationState else { throw MinerQLError.internal("merging unlike states") }
        y.counts = x.counts
        other.y.counts = other.x.counts
        for (g, target) in groups.enumerated() where target >= 0 && other.x.counts[g] > 0 {
            let na = x.counts[target], nb = other.x.counts[g], n = na + nb
            let dx = other.x.means[g] - x.means[target], dy = other.y.means[g] - y.means[target]
            cxy[target] += other.cxy[g] + dx * dy * na * nb / n
        }
        x.merge(other.x, groups: groups)
        y.merge(other.y, groups: groups)
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        let groups = cxy.count
        let output = (0..<groups).map { g -> Double in
            guard x.counts[g] > 0 else {
                validity.setInvalid(g, count: groups)
                return 0
            }
            return cxy[g] / (x.m2[g] * y.m2[g]).squareRoot()
        }
        return Vector(.double(output), validity: validity)
    }
}

/// median and quantile_cont: exact. Every value is kept as a (group, order
/// code) pair in two flat arrays; at the end the pairs are counting-sorted by
/// group, the order statistic each group needs is selected among its codes,
/// and the quantile interpolated between it and the next. A merge keeps the
/// other state's pairs as they are, with the map of its groups to this
/// state's, and the counting sort reads them from there: no pair is copied
/// before the sort.
final class QuantileState: AggregateState, MergeableState {
    private let fraction: Double
    private var groups: [Int32] = []
    private var codes: [UInt64] = []
    /// Pairs of merged states, and where their groups go here (-1: not here).
    private var merged: [(groups: [Int32], codes: [UInt64], map: [Int])] = []
    private var groupCount = 0

    init(fraction: Double) { self.fraction = fraction }

    func resize(_ groups: Int) { groupCount = max(groupCount, groups) }

    /// Moves the `k`-th smallest code to position k, the smaller ones before
    /// it and the others after (quickselect, median-of-three pivots): linear
    /// time on average, where sorting the group would be n log n.
    static func select(_ k: Int, in codes: inout UnsafeMutableBufferPointer<UInt64>) {
        var low = 0, high = codes.count - 1
        while high > low {
            if high - low < 16 {
                // Insertion sort of a short range.
                for i in low + 1...high {
                    let code = codes[i]
                    var j = i - 1
                    while j >= low && codes[j] > code {
                        codes[j + 1] = codes[j]
                        j -= 1
                    }
                    codes[j + 1] = code
                }
                return
            }
            let middle = low + (high - low) / 2
            if codes[middle] < codes[low] { codes.swapAt(middle, low) }
            if codes[high] < codes[low] { codes.swapAt(high, low) }
            if codes[high] < codes[middle] { codes.swapAt(high, middle) }
            let pivot = codes[middle]
            var i = low, j = high
            while i <= j {
                while codes[i] < pivot { i += 1 }
                while codes[j] > pivot { j -= 1 }
                if i <= j {
                    codes.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return
            }
        }
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        let xs = Kernels.doubles(input)
        let nulls = input.mayHaveNulls
        // Appended to locals (moved out and back), not through the object's
        // properties: no access check per row.
        var groups: [Int32] = [], codes: [UInt64] = []
        swap(&groups, &self.groups)
        swap(&codes, &self.codes)
        defer {
            swap(&groups, &self.groups)
            swap(&codes, &self.codes)
        }
        for row in rows where !nulls || !input.isNull(row) {
            groups.append(Int32(truncatingIfNeeded: ids[row]))
            codes.append(ValueOrder.orderCode(xs[row]))
        }
    }

    func merge(_ other: AggregateState, groups map: [Int]) throws {
        guard let other = other as? QuantileState else { throw MinerQLError.internal("merging unlike states") }
        merged.append((other.groups, other.codes, map))
        for part in other.merged {
            merged.append((part.groups, part.codes, part.map.map { $0 >= 0 ? map[$0] : -1 }))
        }
    }

    func finalize() -> Vector {
        let parts = [(groups, codes, nil as [Int]?)] + merged.map { ($0.groups, $0.codes, Optional($0.map)) }
        // Where each group's codes start, once placed group after group.
        var starts = [Int](repeating: 0, count: groupCount + 1)
        for (groups, _, map) in parts {
            if let map {
                for g in groups where map[Int(g)] >= 0 { starts[map[Int(g)] + 1] += 1 }
            } else {
                for g in groups { starts[Int(g) + 1] += 1 }
            }
        }
        for g in 0..<groupCount { starts[g + 1] += starts[g] }
        var placed = [UInt64](repeating: 0, count: starts[groupCount])
        var next = starts
        placed.withUnsafeMutableBufferPointer { placed in
            next.withUnsafeMutableBufferPointer { next in
                for (groups, codes, map) in parts {
                    for (g, code) in zip(groups, codes) {
                        let target = map.map { $0[Int(g)] } ?? Int(g)
                        guard target >= 0 else { continue }
                        placed[next[target]] = code
                        next[target] += 1
                    }
                }
            }
        }
        var validity = Validity.allValid
        var output = [Double](repeating: 0, count: groupCount)
        placed.withUnsafeMutableBufferPointer { placed in
            for g in 0..<groupCount {
                var slice = UnsafeMutableBufferPointer(rebasing: placed[starts[g]..<starts[g + 1]])
                guard !slice.isEmpty else {
                    validity.setInvalid(g, count: groupCount)
                    continue
                }
                let position = fraction * Double(slice.count - 1)
                let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
                QuantileState.select(low, in: &slice)
                // The next order statistic is the smallest code above the low one.
                let above = high == low ? slice[low] : slice[(low + 1)...].min() ?? slice[low]
                let a = ValueOrder.double(fromOrderCode: slice[low]), b = ValueOrder.double(fromOrderCode: above)
                output[g] = low == high ? a : a + (b - a) * (position - Double(low))
            }
        }
        return Vector(.double(output), validity: validity)
    }
}

/// bool_and / bool_or.
final class BooleanState: AggregateState, MergeableState {
    private let isAnd: Bool
    private var results: [Bool] = [], seen: [Bool] = []

    init(isAnd: Bool) { self.isAnd = isAnd }

    func resize(_ groups: Int) {
        guard results.count < groups else { return }
        results += repeatElement(isAnd, count: groups - results.count)
        seen += repeatElement(false, count: groups - seen.count)
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        let flags = Logic.booleans(input)
        for row in rows where !input.isNull(row) {
            let g = ids[row]
            results[g] = isAnd ? results[g] && flags[row] : results[g] || flags[row]
            seen[g] = true
        }
    }

    func merge(_ other: AggregateState, groups: [Int]) throws {
        guard let other = other as? BooleanState else { throw MinerQLError.internal("merging unlike states") }
        for (g, target) in groups.enumerated() where target >= 0 && other.seen[g] {
            results[target] = isAnd ? results[target] && other.results[g] : results[target] || other.results[g]
            seen[target] = true
        }
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        for g in 0..<seen.count where !seen[g] { validity.setInvalid(g, count: seen.count) }
        return Vector(.boolean(results), validity: validity)
    }
}

/// arg_max / arg_min: the first argument at the row where the second is
/// largest (smallest); rows whose second argument is NULL are skipped.
final class ArgExtremeState: AggregateState {
    private let type: DataType
    private let wantsMax: Bool
    private var best: [Value] = [], argument: [Value] = []

    init(type: DataType, wantsMax: Bool) {
        self.type = type
        self.wantsMax = wantsMax
    }

    func resize(_ groups: Int) {
        guard best.count < groups else { return }
        best += repeatElement(.null, count: groups - best.count)
        argument += repeatElement(.null, count: groups - argument.count)
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input, let second else { return }
        for row in rows where !second.isNull(row) {
            let g = ids[row], key = second.value(at: row)
            let order = best[g].isNull ? 0 : ValueOrder.compare(key, best[g])
            if best[g].isNull || (wantsMax ? order > 0 : order < 0) {
                best[g] = key
                argument[g] = input.value(at: row)
            }
        }
    }

    func finalize() -> Vector {
        var builder = VectorBuilder(type, capacity: argument.count)
        for value in argument { builder.append(value) }
        return builder.build()
    }
}

/// string_agg(x, separator [ORDER BY …]): non-NULL values joined in input
/// order, or in the order of the keys given.
final class StringAggState: AggregateState {
    private var parts: [[String]] = [], separators: [String] = []
    /// Bytes of each group's result so far (values and separators).
    private var bytes: [Int] = []
    /// The ORDER BY keys of each collected value, when there are any.
    private var keys: [[[Value]]] = []
    private let ordering: [BoundOrder]

    init(ordering: [BoundOrder] = []) { self.ordering = ordering }

    /// Like update, also recording each value's ORDER BY keys.
    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, keys keyVectors: [Vector], rows: [Int]) throws {
        guard let input else { return }
        try update(ids, input, second, rows: rows)
        for row in rows where !input.isNull(row) { keys[ids[row]].append(keyVectors.map { $0.value(at: row) }) }
    }

    func resize(_ groups: Int) {
        guard parts.count < groups else { return }
        parts += repeatElement([], count: groups - parts.count)
        bytes += repeatElement(0, count: groups - bytes.count)
        separators += repeatElement(",", count: groups - separators.count)
        keys += repeatElement([], count: groups - keys.count)
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        let texts = Kernels.texts(input)
        let separatorTexts = second.map(Kernels.texts)
        for row in rows where !input.isNull(row) {
            let g = ids[row]
            parts[g].append(texts[row])
            if let separatorTexts, second?.isNull(row) == false { separators[g] = separatorTexts[row] }
            bytes[g] += texts[row].utf8.count + separators[g].utf8.count
            try FunctionRegistry.checkStringSize(bytes[g], made: "string_agg")
        }
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        let output = parts.enumerated().map { g, group -> String in
            if group.isEmpty { validity.setInvalid(g, count: parts.count) }
            guard !ordering.isEmpty, keys[g].count == group.count else { return group.joined(separator: separators[g]) }
            let order = group.indices.sorted { a, b in
                for (k, key) in ordering.enumerated() {
                    let x = keys[g][a][k], y = keys[g][b][k]
                    if x.isNull != y.isNull { return x.isNull == key.nullsFirst }
                    let c = ValueOrder.compare(x, y)
                    if c != 0 { return key.descending ? c > 0 : c < 0 }
                }
                return a < b
            }
            return order.map { group[$0] }.joined(separator: separators[g])
        }
        return Vector(.varchar(StringVector(output)), validity: validity)
    }
}
