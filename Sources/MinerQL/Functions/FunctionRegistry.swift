// Name → overload resolution for scalar functions. Each family lives in its own
// file as an extension; this file holds the lookup and the shared error texts.

/// Resolves scalar function calls by name and argument types.
enum FunctionRegistry {
    /// A family's resolver: given argument types, an overload or nil if none fits.
    typealias Resolver = @Sendable ([DataType]) throws -> ScalarFunction?

    static let resolvers: [String: Resolver] = {
        var table: [String: Resolver] = [:]
        registerMath(into: &table)
        registerText(into: &table)
        registerMoreText(into: &table)
        registerMoreMath(into: &table)
        registerDates(into: &table)
        registerGeneric(into: &table)
        return table
    }()

    static var names: [String] { Array(resolvers.keys) + AggregateFunction.allCases.map(\.rawValue) }

    static func resolve(_ name: String, _ types: [DataType], at position: SourcePosition) throws -> ScalarFunction {
        guard let resolver = resolvers[name] else {
            var message = "Scalar Function with name \(name) does not exist!"
            if let suggestion = closestMatch(to: name, in: names) {
                message += " Did you mean \"\(suggestion)\"?"
            }
            throw MinerQLError(.catalog, message, at: position)
        }
        if let function = try resolver(types) { return function }
        let signature = "\(name)(\(types.map(\.description).joined(separator: ", ")))"
        throw MinerQLError(.binder, "No function matches the given name and argument types '\(signature)'. You might need to add explicit type casts.", at: position)
    }
}
