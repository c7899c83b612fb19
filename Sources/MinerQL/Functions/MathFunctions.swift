// Numeric scalar functions: abs, round, floor, ceil and their aliases.

extension FunctionRegistry {
    static func registerMath(into table: inout [String: Resolver]) {
        table["abs"] = { types in
            guard types.count == 1 else { return nil }
            switch types[0] {
            case .bigint, .null:
                return ScalarFunction("abs", [.bigint], .bigint) { args, _ in
                    try Kernels.mapBigint(args[0]) { value in
                        guard value != .min else {
                            throw MinerQLError(.outOfRange, "Overflow on abs(\(value))")
                        }
                        return Swift.abs(value)
                    }
                }
            case .double:
                return ScalarFunction("abs", [.double], .double) { args, _ in Kernels.mapDouble(args[0]) { Swift.abs($0) } }
            default: return nil
            }
        }
        table["round"] = { types in
            guard types.count == 1 || types.count == 2 else { return nil }
            guard types[0].isNumeric || types[0] == .null else { return nil }
            if types.count == 2 && !(types[1] == .bigint || types[1] == .null) { return nil }
            if types[0] == .bigint {
                return ScalarFunction("round", types.count == 1 ? [.bigint] : [.bigint, .bigint], .bigint) { args, _ in args[0] }
            }
            if types.count == 1 {
                return ScalarFunction("round", [.double], .double) { args, _ in
                    Kernels.mapDouble(args[0]) { $0.rounded(.toNearestOrAwayFromZero) }
                }
            }
            return ScalarFunction("round", [.double, .bigint], .double) { args, count in
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
                case .bigint: return ScalarFunction(name, [.bigint], .bigint) { args, _ in args[0] }
                case .double, .null:
                    return ScalarFunction(name, [.double], .double) { args, _ in Kernels.mapDouble(args[0]) { $0.rounded(rule) } }
                default: return nil
                }
            }
        }
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
