// The aggregate functions and their result types. Their state and update loops
// live in Execution/AggregateState.swift.

/// An aggregate function.
enum AggregateFunction: String, CaseIterable, Equatable {
    case count, sum, avg, min, max
    case median, quantileCont = "quantile_cont"
    case stddevSamp = "stddev_samp", stddevPop = "stddev_pop", varSamp = "var_samp", varPop = "var_pop"
    case boolAnd = "bool_and", boolOr = "bool_or"
    case argMax = "arg_max", argMin = "arg_min"
    case corr
    case stringAgg = "string_agg"

    static func named(_ name: String) -> AggregateFunction? {
        switch name {
        case "mean": return .avg
        case "stddev": return .stddevSamp
        case "variance": return .varSamp
        case "quantile": return .quantileCont
        case "argmax", "max_by": return .argMax
        case "argmin", "min_by": return .argMin
        case "listagg", "group_concat": return .stringAgg
        default: return AggregateFunction(rawValue: name)
        }
    }

    /// How many arguments the function takes (count(*) takes none).
    var argumentCounts: ClosedRange<Int> {
        switch self {
        case .count: return 0...1
        case .quantileCont, .argMax, .argMin, .corr: return 2...2
        case .stringAgg: return 1...2
        default: return 1...1
        }
    }

    /// Whether the window operator has a dedicated frame algorithm for it
    /// (prefix sums, running extremes); others fold frames into states.
    var hasFrameShortcut: Bool { [.count, .sum, .avg, .min, .max].contains(self) }

    /// The result type for an argument type, or nil if the function does not
    /// accept it.
    func resultType(for argument: DataType) -> DataType? {
        switch self {
        case .count: return .bigint
        case .sum:
            switch argument {
            case .bigint, .boolean: return .bigint
            case .double, .null: return .double
            default: return nil
            }
        case .avg, .median, .quantileCont, .stddevSamp, .stddevPop, .varSamp, .varPop, .corr:
            return argument.isNumeric || argument == .null ? .double : nil
        case .min, .max, .argMax, .argMin: return argument
        case .boolAnd, .boolOr: return argument == .boolean || argument == .null ? .boolean : nil
        case .stringAgg: return .varchar
        }
    }
}
