// A resolved scalar function overload: its signature and its vector kernel.

/// What a kernel may need beyond its argument vectors: the session's settings
/// when the query was compiled, and where the call stands in the statement,
/// for the errors it raises. (Cancellation and memory_limit are checked by the
/// operators once per chunk, and by checkStringSize for a large string.)
struct FunctionContext: Sendable {
    let settings: Settings
    let position: SourcePosition
}

/// One overload of a scalar function, ready to run over vectors.
final class ScalarFunction: Equatable, Sendable {
    typealias Kernel = @Sendable (_ arguments: [Vector], _ rows: Int, _ call: FunctionContext) throws -> Vector

    let name: String
    /// The types the arguments are cast to before the kernel sees them.
    let argumentTypes: [DataType]
    let returnType: DataType
    let isDeterministic: Bool
    /// Computes `rows` rows from the argument vectors.
    let kernel: Kernel

    init(_ name: String, _ argumentTypes: [DataType], _ returnType: DataType, deterministic: Bool = true,
         kernel: @escaping Kernel) {
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
