// Late materialization: an operator that found its rows by reading a few
// columns (with row numbers, from ScanOperator's rowIDs) fetches the other
// columns of just those rows, instead of carrying them all along.

/// The rows of a table whose numbers its input carries, in the input's order.
final class FetchOperator: Operator {
    private let input: Operator
    private let columns: [Vector]
    private let rowIDColumn: Int

    /// `columns` are the table's columns to return (by index); the input's
    /// column `rowIDColumn` holds row numbers of the table.
    init(input: Operator, table: Table, columns: [Int], rowIDColumn: Int) {
        self.input = input
        self.columns = columns.map { table.columns[$0] }
        self.rowIDColumn = rowIDColumn
    }

    func next() throws -> DataChunk? {
        guard let chunk = try input.next() else { return nil }
        guard case .bigint(let ids) = chunk.columns[rowIDColumn].data else {
            throw MinerQLError.internal("fetch without a row-number column")
        }
        let rows = ids.map { Int($0) }
        return DataChunk(columns: columns.map { $0.gathered(rows) }, count: chunk.count)
    }
}
