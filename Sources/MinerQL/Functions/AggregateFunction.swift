// The aggregate functions and their result types. Their state and update loops
// live in Execution/AggregateState.swift.

/// An aggregate function.
enum AggregateFunction: String, CaseIterable, Equatable {
    case count, sum, avg, min, max

    static func named(_ name: String) -> AggregateFunction? {
        switch name {
        case "mean": return .avg
        default: return AggregateFunction(rawValue: name)
        }
    }

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
        case .avg: return argument.isNumeric || argument == .null ? .double : nil
        case .min, .max: return argument
        }
    }
}
