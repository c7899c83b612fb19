// Numeric scalar functions: abs, round, floor, ceil and their aliases.
import Glibc

extension FunctionRegistry {
    static func registerMath(into table: inout [String: Resolver]) {
        table["abs"] = { types in
            guard types.count == 1 else { return nil }
            switch types[0] {
            case .bigint, .null:
                return ScalarFunction("abs", [.bigint], .bigint) { args, _, _ in
                    try Kernels.mapBigint(args[0]) { value in
                        guard value != .min else {
                            throw MinerQLError(.outOfRange, "Overflow on abs(\(value))")
                        }
                        return Swift.abs(value)
                    }
                }
            case .double:
                return ScalarFunction("abs", [.double], .double) { args, _, _ in Kernels.mapDouble(args[0]) { Swift.abs($0) } }
            default: return nil
            }
        }
        table["round"] = { types in
            guard types.count == 1 || types.count == 2 else { return nil }
            guard types[0].isNumeric || types[0] == .null else { return nil }
            if types.count == 2 && !(types[1] == .bigint || types[1] == .null) { return nil }
            if types[0] == .bigint {
                if types.count == 1 { return ScalarFunction("round", [.bigint], .bigint) { args, _, _ in args[0] } }
                return ScalarFunction("round", [.bigint, .bigint], .bigint) { args, count, _ in
                    let values = Kernels.bigints(args[0]), digits = Kernels.bigints(args[1])
                    let validity = Kernels.validity(args)
                    var output = [Int64](repeating: 0, count: count)
                    for row in 0..<count where validity.isValid(row) {
                        output[row] = try roundInteger(values[row], digits: digits[row])
                    }
                    return Vector(.bigint(output), validity: validity)
                }
            }
            if types.count == 1 {
                return ScalarFunction("round", [.double], .double) { args, _, _ in
                    Kernels.mapDouble(args[0]) { $0.rounded(.toNearestOrAwayFromZero) }
                }
            }
            return ScalarFunction("round", [.double, .bigint], .double) { args, count, _ in
                let values = Kernels.doubles(args[0]), digits = Kernels.bigints(args[1])
                var output = [Double](repeating: 0, count: count)
                for row in 0..<count {
                    output[row] = roundDouble(values[row], digits: digits[row])
                }
                return Vector(.double(output), validity: Kernels.validity(args))
            }
        }
        let rounding: [(String, FloatingPointRoundingRule)] = [("floor", .down), ("ceil", .up), ("ceiling", .up), ("trunc", .towardZero)]
        for (name, rule) in rounding {
            table[name] = { types in
                guard types.count == 1 else { return nil }
                switch types[0] {
                case .bigint: return ScalarFunction(name, [.bigint], .bigint) { args, _, _ in args[0] }
                case .double, .null:
                    return ScalarFunction(name, [.double], .double) { args, _, _ in Kernels.mapDouble(args[0]) { $0.rounded(rule) } }
                default: return nil
                }
            }
        }
    }

    /// An integer rounded half away from zero to `digits` places: unchanged
    /// for digits ≥ 0; to tens, hundreds, … for negative ones (0 past 10^18).
    static func roundInteger(_ value: Int64, digits: Int64) throws -> Int64 {
        guard digits < 0 else { return value }
        guard digits > -19 else { return 0 }
        var power: Int64 = 1
        for _ in 0..<(-digits) { power *= 10 }  // at most 10^18
        let remainder = value % power
        var rounded = value - remainder
        if remainder.magnitude * 2 >= power.magnitude {
            let (next, overflow) = value < 0 ? rounded.subtractingReportingOverflow(power) : rounded.addingReportingOverflow(power)
            guard !overflow else { throw MinerQLError(.outOfRange, "Overflow in ROUND of integer") }
            rounded = next
        }
        return rounded
    }

    /// Rounds half away from zero to `digits` decimal places (negative digits round
    /// to tens, hundreds, …).
    static func roundDouble(_ value: Double, digits: Int64) -> Double {
        guard value.isFinite else { return value }
        let clamped = Swift.max(-308, Swift.min(308, Int(digits)))
        var scale = 1.0
        for _ in 0..<Swift.abs(clamped) { scale *= 10 }
        if clamped >= 0 {
            let scaled = value * scale
            guard scaled.isFinite else { return value }
            return scaled.rounded(.toNearestOrAwayFromZero) / scale
        }
        return (value / scale).rounded(.toNearestOrAwayFromZero) * scale
    }
}

extension FunctionRegistry {
    /// A DOUBLE → DOUBLE function over whole vectors.
    private static func unaryDouble(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> Resolver {
        { types in
            guard types.count == 1, types[0].isNumeric || types[0] == .null else { return nil }
            return ScalarFunction(name, [.double], .double) { args, _, _ in Kernels.mapDouble(args[0], f) }
        }
    }

    /// A (DOUBLE, DOUBLE) → DOUBLE function over whole vectors.
    private static func binaryDouble(_ name: String, _ f: @escaping @Sendable (Double, Double) -> Double) -> Resolver {
        { types in
            guard types.count == 2, types.allSatisfy({ $0.isNumeric || $0 == .null }) else { return nil }
            return ScalarFunction(name, [.double, .double], .double) { args, count, _ in
                let x = Kernels.doubles(args[0]), y = Kernels.doubles(args[1])
                var output = [Double](repeating: 0, count: count)
                for i in 0..<count { output[i] = f(x[i], y[i]) }
                return Vector(.double(output), validity: Kernels.validity(args))
            }
        }
    }

    static func registerMoreMath(into table: inout [String: Resolver]) {
        table["sqrt"] = unaryDouble("sqrt") { $0.squareRoot() }
        table["cbrt"] = unaryDouble("cbrt") { Glibc.cbrt($0) }
        table["ln"] = unaryDouble("ln") { Glibc.log($0) }
        table["log10"] = unaryDouble("log10") { Glibc.log10($0) }
        table["log2"] = unaryDouble("log2") { Glibc.log2($0) }
        table["exp"] = unaryDouble("exp") { Glibc.exp($0) }
        let logBase = binaryDouble("log") { base, x in Glibc.log(x) / Glibc.log(base) }
        let log10 = unaryDouble("log") { Glibc.log10($0) }
        table["log"] = { types in try log10(types) ?? logBase(types) }
        table["power"] = binaryDouble("power") { Glibc.pow($0, $1) }
        table["pow"] = table["power"]
        table["pi"] = { types in
            types.isEmpty ? ScalarFunction("pi", [], .double) { _, count, _ in Vector(.double([Double](repeating: .pi, count: count))) } : nil
        }
        table["sign"] = { types in
            guard types.count == 1, types[0].isNumeric || types[0] == .null else { return nil }
            return ScalarFunction("sign", [.double], .bigint) { args, _, _ in
                Vector(.bigint(Kernels.doubles(args[0]).map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }), validity: args[0].validity)
            }
        }
        table["mod"] = { types in
            guard types.count == 2, types.allSatisfy({ $0.isNumeric || $0 == .null }) else { return nil }
            let type: DataType = types.contains(.double) ? .double : .bigint
            return ScalarFunction("mod", [type, type], type) { args, _, call in
                try Arithmetic.apply(.modulo, args[0], args[1], type: type, settings: call.settings, at: call.position, function: "mod")
            }
        }
        for (name, wantsMax) in [("greatest", true), ("least", false)] {
            table[name] = { types in
                guard !types.isEmpty, let common = commonType(types) else { return nil }
                return ScalarFunction(name, Array(repeating: common, count: types.count), common == .null ? .bigint : common) { args, count, _ in
                    var builder = VectorBuilder(common == .null ? .bigint : common, capacity: count)
                    for r in 0..<count {
                        var best = Value.null
                        for arg in args {
                            let v = arg.value(at: r)
                            if v.isNull { continue }
                            let c = ValueOrder.compare(v, best)
                            if best.isNull || (wantsMax ? c > 0 : c < 0) { best = v }
                        }
                        builder.append(best)
                    }
                    return builder.build()
                }
            }
        }
    }
}
