// Sort: materializes the input, computes the key columns once, and orders row
// indexes with a comparator specialised per key type. Under a LIMIT it keeps
// only the first k rows in a heap (top-k), O(n log k) instead of O(n log n).

final class SortOperator: Operator {
    private let input: Operator
    private let keys: [(kernel: Kernel, descending: Bool, nullsFirst: Bool)]
    private let types: [DataType]
    private let context: ExecutionContext
    /// Rows needed by a LIMIT above (limit + offset), if any.
    private let topK: Int?
    private var output: ChunkCursor?

    init(input: Operator, keys: [BoundOrder], types: [DataType], compiler: ExpressionCompiler, topK: Int? = nil) throws {
        self.input = input
        self.topK = topK
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
        try context.cancellation.check()
        // Ties keep input order, so the result does not depend on the algorithm.
        let precedes: (Int, Int) -> Bool = { a, b in
            for compare in comparators {
                let c = compare(a, b)
                if c != 0 { return c < 0 }
            }
            return a < b
        }
        if let topK, topK < all.count {
            return all.gathered(SortOperator.smallest(topK, of: all.count, by: precedes))
        }
        var order = Array(0..<all.count)
        order.sort(by: precedes)
        return all.gathered(order)
    }

    /// The `k` first rows by `precedes`, in order, kept in a max-heap.
    static func smallest(_ k: Int, of count: Int, by precedes: (Int, Int) -> Bool) -> [Int] {
        guard k > 0 else { return [] }
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < heap.count && precedes(heap[largest], heap[left]) { largest = left }
                if right < heap.count && precedes(heap[largest], heap[right]) { largest = right }
                if largest == parent { return }
                heap.swapAt(parent, largest)
                parent = largest
            }
        }
        for row in 0..<count {
            if heap.count < k {
                heap.append(row)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard precedes(heap[parent], heap[child]) else { break }
                    heap.swapAt(parent, child)
                    child = parent
                }
            } else if precedes(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
        }
        return heap.sorted(by: precedes)
    }
}
