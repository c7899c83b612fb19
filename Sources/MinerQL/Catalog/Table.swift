// An in-memory table: its schema and one full-length vector per column.

/// A column's name and type.
public struct ColumnSchema: Equatable, Sendable {
    public var name: String
    public var type: DataType
    public init(name: String, type: DataType) {
        self.name = name
        self.type = type
    }
}

/// A table held in memory, column by column.
public struct Table: Sendable {
    public var name: String
    public var schema: [ColumnSchema]
    /// One vector per column, each `rowCount` long.
    var columns: [Vector]
    public private(set) var rowCount: Int
    var constraints: Constraints
    /// One index per key constraint, built when an INSERT first needs it and
    /// dropped by changes that do not keep it up to date.
    var keyIndexes: [KeyIndex]?

    init(name: String, schema: [ColumnSchema], columns: [Vector], constraints: Constraints? = nil) {
        self.name = name
        self.schema = schema
        self.columns = columns
        self.rowCount = columns.first?.count ?? 0
        self.constraints = constraints ?? Constraints(columns: schema.count)
    }

    /// The same table holding other rows.
    func withColumns(_ columns: [Vector]) -> Table {
        Table(name: name, schema: schema, columns: columns, constraints: constraints)
    }

    /// The key indexes, built now if they are not up to date.
    mutating func ensureKeyIndexes() throws -> [KeyIndex] {
        if let keyIndexes { return keyIndexes }
        let built = try constraints.keys.map { try KeyIndex.build($0, columns: columns, rowCount: rowCount, schema: schema) }
        keyIndexes = built
        return built
    }
}
