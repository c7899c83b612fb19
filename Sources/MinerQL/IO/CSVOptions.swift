// Options of read_csv, COPY … FROM and .import, with DuckDB's names. Anything
// left nil is sniffed from the file.

/// How to read a CSV file.
public struct CSVOptions: Sendable {
    /// The field separator; nil sniffs `,` `;` tab or `|`.
    public var delimiter: UInt8?
    /// Whether the first line names the columns; nil sniffs it.
    public var header: Bool?
    /// Column names and types replacing the sniffed ones (`columns={…}`).
    public var columns: [(String, DataType)]?
    /// Types for some columns by name (`types={…}`).
    public var types: [String: DataType] = [:]
    /// Every column VARCHAR, whatever sniffing finds (`all_varchar=true`);
    /// `types` still applies.
    public var allVarchar = false
    /// A strptime-style format for DATE columns (`dateformat='%d/%m/%Y'`).
    public var dateFormat: String?
    /// Skip rows that do not fit instead of failing (`ignore_errors=true`).
    public var ignoreErrors = false
    /// Rows read to sniff types.
    public var sampleSize = 20_480

    public init() {}
}
