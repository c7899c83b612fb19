// A resolved scalar function overload: its signature and its vector kernel.

/// One overload of a scalar function, ready to run over vectors.
final class ScalarFunction: Equatable, Sendable {
    let name: String
    /// The types the arguments are cast to before the kernel sees them.
    let argumentTypes: [DataType]
    let returnType: DataType
    let isDeterministic: Bool
    /// Computes `count` rows from the argument vectors.
    let kernel: @Sendable ([Vector], Int) throws -> Vector

    init(_ name: String, _ argumentTypes: [DataType], _ returnType: DataType, deterministic: Bool = true,
         kernel: @escaping @Sendable ([Vector], Int) throws -> Vector) {
        self.name = name
        self.argumentTypes = argumentTypes
        self.returnType = returnType
        self.isDeterministic = deterministic
        self.kernel = kernel
    }

    static func == (a: ScalarFunction, b: ScalarFunction) -> Bool {
        a === b || (a.name == b.name && a.argumentTypes == b.argumentTypes && a.returnType == b.returnType)
    }
}
