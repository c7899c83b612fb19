// Full sort: materializes the input, computes the key columns once, sorts row
// indexes with a comparator specialised per key type, then emits in order.

final class SortOperator: Operator {
    private let input: Operator
    private let keys: [(kernel: Kernel, descending: Bool, nullsFirst: Bool)]
    private let types: [DataType]
    private let context: ExecutionContext
    private var output: ChunkCursor?

    init(input: Operator, keys: [BoundOrder], types: [DataType], compiler: ExpressionCompiler) throws {
        self.input = input
        self.keys = try keys.map { (try compiler.compile($0.expression), $0.descending, $0.nullsFirst) }
        self.types = types
        self.context = compiler.context
    }

    func next() throws -> DataChunk? {
        var cursor = try output ?? ChunkCursor(try sortAll())
        defer { output = cursor }
        return cursor.next()
    }

    /// A three-way comparison of two rows on one key, NULL placement included.
    typealias RowComparator = (Int, Int) -> Int

    static func comparator(_ vector: Vector, descending: Bool, nullsFirst: Bool) -> RowComparator {
        let direction = descending ? -1 : 1
        let nullOrder = nullsFirst ? -1 : 1
        let validity = vector.validity
        func wrap(_ compare: @escaping (Int, Int) -> Int) -> RowComparator {
            guard validity.hasInvalid else { return { direction * compare($0, $1) } }
            return { a, b in
                let aNull = !validity.isValid(a), bNull = !validity.isValid(b)
                if aNull || bNull { return aNull == bNull ? 0 : (aNull ? nullOrder : -nullOrder) }
                return direction * compare(a, b)
            }
        }
        switch vector.data {
        case .bigint(let v): return wrap { v[$0] < v[$1] ? -1 : (v[$0] > v[$1] ? 1 : 0) }
        case .double(let v): return wrap { ValueOrder.compareDoubles(v[$0], v[$1]) }
        case .date(let v): return wrap { v[$0] < v[$1] ? -1 : (v[$0] > v[$1] ? 1 : 0) }
        case .timestamp(let v): return wrap { v[$0] < v[$1] ? -1 : (v[$0] > v[$1] ? 1 : 0) }
        case .interval(let v): return wrap { v[$0].orderKey < v[$1].orderKey ? -1 : (v[$0].orderKey > v[$1].orderKey ? 1 : 0) }
        case .varchar(let v): return wrap { Comparison.compareStrings(v[$0], v[$1]) }
        case .boolean(let v): return wrap { v[$0] == v[$1] ? 0 : (v[$0] ? 1 : -1) }
        case .null: return { _, _ in 0 }
        }
    }

    private func sortAll() throws -> DataChunk {
        let all = try input.materialize(types: types, context: context)
        let comparators = try keys.map { key in
            SortOperator.comparator(try key.kernel(all), descending: key.descending, nullsFirst: key.nullsFirst)
        }
        var order = Array(0..<all.count)
        try context.cancellation.check()
        order.sort { a, b in
            for compare in comparators {
                let c = compare(a, b)
                if c != 0 { return c < 0 }
            }
            return a < b
        }
        return all.gathered(order)
    }
}
