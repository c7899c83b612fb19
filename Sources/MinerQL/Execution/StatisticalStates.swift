// Aggregate states beyond sum and count: variance and standard deviation
// (Welford's online algorithm, numerically stable), correlation, exact
// quantiles, boolean and/or, arg_max/arg_min, and string_agg.
import Glibc

/// var_samp, var_pop, stddev_samp, stddev_pop.
final class MomentState: AggregateState {
    private let function: AggregateFunction
    private var counts: [Double] = [], means: [Double] = [], m2: [Double] = []

    init(_ function: AggregateFunction) { self.function = function }

    func resize(_ groups: Int) {
        guard counts.count < groups else { return }
        let extra = groups - counts.count
        counts += repeatElement(0, count: extra)
        means += repeatElement(0, count: extra)
        m2 += repeatElement(0, count: extra)
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        let values = Kernels.doubles(input)
        for row in rows where !input.isNull(row) {
            let g = ids[row], x = values[row]
            counts[g] += 1
            let delta = x - means[g]
            means[g] += delta / counts[g]
            m2[g] += delta * (x - means[g])
        }
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        let sample = function == .varSamp || function == .stddevSamp
        let output = (0..<counts.count).map { g -> Double in
            let n = counts[g]
            guard n > (sample ? 1 : 0) else {
                validity.setInvalid(g, count: counts.count)
                return 0
            }
            let variance = m2[g] / (sample ? n - 1 : n)
            return function == .stddevSamp || function == .stddevPop ? variance.squareRoot() : variance
        }
        return Vector(.double(output), validity: validity)
    }
}

/// corr(y, x): Pearson's correlation from online co-moments.
final class CorrelationState: AggregateState {
    private var n: [Double] = [], meanX: [Double] = [], meanY: [Double] = []
    private var m2x: [Double] = [], m2y: [Double] = [], cxy: [Double] = []

    func resize(_ groups: Int) {
        guard n.count < groups else { return }
        let extra = groups - n.count
        n += repeatElement(0, count: extra)
        meanX += repeatElement(0, count: extra)
        meanY += repeatElement(0, count: extra)
        m2x += repeatElement(0, count: extra)
        m2y += repeatElement(0, count: extra)
        cxy += repeatElement(0, count: extra)
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input, let second else { return }
        let ys = Kernels.doubles(input), xs = Kernels.doubles(second)
        for row in rows where !input.isNull(row) && !second.isNull(row) {
            let g = ids[row], x = xs[row], y = ys[row]
            n[g] += 1
            let dx = x - meanX[g]
            meanX[g] += dx / n[g]
            let dy = y - meanY[g]
            meanY[g] += dy / n[g]
            m2x[g] += dx * (x - meanX[g])
            m2y[g] += dy * (y - meanY[g])
            cxy[g] += dx * (y - meanY[g])
        }
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        let output = (0..<n.count).map { g -> Double in
            guard n[g] > 0 else {
                validity.setInvalid(g, count: n.count)
                return 0
            }
            return cxy[g] / (m2x[g] * m2y[g]).squareRoot()
        }
        return Vector(.double(output), validity: validity)
    }
}

/// median and quantile_cont: exact, by sorting each group's values and
/// interpolating between the two nearest.
final class QuantileState: AggregateState {
    private let fraction: Double
    private var values: [[Double]] = []

    init(fraction: Double) { self.fraction = fraction }

    func resize(_ groups: Int) {
        if values.count < groups { values += repeatElement([], count: groups - values.count) }
    }

    func update(_ ids: [Int], _ input: Vector?, _ second: Vector?, rows: [Int]) throws {
        guard let input else { return }
        let xs = Kernels.doubles(input)
        for row in rows where !input.isNull(row) { values[ids[row]].append(xs[row]) }
    }

    func finalize() -> Vector {
        var validity = Validity.allValid
        let output = values.enumerated().map { g, group -> Double in
            guard !group.isEmpty else {
                validity.setInvalid(g, count: values.count)
                return 0
            }
            let sorted = group.sorted { ValueOrder.compareDoubles($0, $1) < 0 }
            let position = fraction * Double(sorted.count - 1)
            let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        return Vector(.double(output), validity: validity)
    }
}

/// bool_and / bool_or.
final class BooleanState: AggregateState {
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
        let texts = Kernels.strings(input)
        let separatorTexts = second.map(Kernels.strings)
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
        return Vector(.varchar(output), validity: validity)
    }
}
