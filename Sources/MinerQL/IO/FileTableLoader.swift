// Turns a path and reader options into a table: the one place that knows which
// reader a file needs (by name or by extension) and what each option means, for
// read_csv/read_json, `FROM 'file'`, COPY … FROM and .import.

/// A table read from a file, and how many rows ignore_errors skipped.
struct LoadedTable {
    var table: Table
    var skippedRows: Int
}

/// A file-reading option's value, already evaluated: a constant, or the fields
/// of a struct literal (`columns={…}`, `types={…}`).
enum ReaderOptionValue {
    case value(Value)
    case fields([(String, Value)])
}

enum FileTableLoader {
    enum Format: String {
        case csv, json
    }

    /// The reader for a path's extension.
    static func format(ofPath path: String) -> Format? {
        let lower = path.lowercased()
        if lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .json }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") || lower.hasSuffix(".csv.txt") { return .csv }
        return nil
    }

    static func load(path: String, format: Format, options: [(String, ReaderOptionValue)], tableName: String,
                     at position: SourcePosition?, progress: QueryProgress, cancellation: Cancellation,
                     access: FileAccess) throws -> LoadedTable {
        try access.checkRead(path, at: position)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        switch format {
        case .json:
            let bytes = try FileIO.read(path)
            progress.expect(bytes.count)
            for (option, _) in options where option != "format" && option != "auto_detect" {
                throw MinerQLError(.binder, "Invalid named parameter \"\(option)\" for read_json", at: position)
            }
            try cancellation.check()
            let table = try JSONReader.read(bytes, name: name, tableName: tableName)
            progress.advance(bytes.count)
            return LoadedTable(table: table, skippedRows: 0)
        case .csv:
            let csv = try csvOptions(options, at: position)
            // A regular file is read a window at a time; a pipe is read whole.
            let source: ByteSource = try FileBytes(path: path) ?? MemoryBytes(storage: FileIO.read(path))
            progress.expect(source.count)
            let result = try CSVReader.read(source, name: name, tableName: tableName, options: csv, progress: progress,
                                            cancellation: cancellation)
            return LoadedTable(table: result.table, skippedRows: result.skippedRows)
        }
    }

    private static func csvOptions(_ options: [(String, ReaderOptionValue)], at position: SourcePosition?) throws -> CSVOptions {
        var csv = CSVOptions()
        var autoDetect = true
        for (name, value) in options {
            func scalar() throws -> Value {
                guard case .value(let v) = value else {
                    throw MinerQLError(.binder, "option \(name) expects a value, not a struct", at: position)
                }
                return v
            }
            func boolean() throws -> Bool {
                guard case .boolean(let b) = try Cast.value(try scalar(), to: .boolean, at: position) else {
                    throw MinerQLError(.binder, "option \(name) expects a BOOLEAN", at: position)
                }
                return b
            }
            func typedFields() throws -> [(String, DataType)] {
                guard case .fields(let fields) = value else {
                    throw MinerQLError(.binder, "option \(name) expects a struct such as {'column': 'TYPE'}", at: position)
                }
                return try fields.map { key, typeName in
                    guard let type = DataType(sqlName: typeName.description) else {
                        throw MinerQLError(.catalog, "Type with name \(typeName.description) does not exist!", at: position)
                    }
                    return (key, type)
                }
            }
            switch name {
            case "header": csv.header = try boolean()
            case "delim", "sep", "delimiter":
                var text = try scalar().description
                if text == "\\t" { text = "\t" }
                guard text.utf8.count == 1, let byte = text.utf8.first else {
                    throw MinerQLError(.binder, "The delimiter option must be a single character, got \"\(text)\"", at: position)
                }
                // A newline or quote cannot also separate fields: every line
                // would read as one record of everything, or none.
                guard byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r"), byte != UInt8(ascii: "\"") else {
                    throw MinerQLError(.binder, "The delimiter option cannot be a newline or the quote character", at: position)
                }
                csv.delimiter = byte
            case "columns": csv.columns = try typedFields()
            case "types", "dtypes", "column_types": csv.types = Dictionary(try typedFields(), uniquingKeysWith: { $1 })
            case "dateformat", "date_format": csv.dateFormat = try scalar().description
            case "ignore_errors": csv.ignoreErrors = try boolean()
            case "all_varchar": csv.allVarchar = try boolean()
            case "sample_size":
                guard case .bigint(let n) = try scalar(), n > 0 else {
                    throw MinerQLError(.binder, "sample_size must be a positive integer", at: position)
                }
                csv.sampleSize = Int(n)
            // Accepted where they state what the reader does anyway; any other
            // value would be silently ignored, so it is refused.
            case "quote", "escape":
                let text = try scalar().description
                guard text == "\"" || (name == "escape" && text.isEmpty) else {
                    throw MinerQLError(.notImplemented, "read_csv reads only '\"' as the \(name) character, not '\(text)'", at: position)
                }
            case "format":
                let text = try scalar().description.lowercased()
                guard text == "csv" else {
                    throw MinerQLError(.binder, "read_csv reads format 'csv', not '\(text)' (read_json reads JSON)", at: position)
                }
            case "auto_detect":
                autoDetect = try boolean()
            default:
                throw MinerQLError(.binder, "Invalid named parameter \"\(name)\" for read_csv", at: position)
            }
        }
        // Without sniffing, the columns must be given.
        guard autoDetect || csv.columns != nil else {
            throw MinerQLError(.binder, "read_csv with auto_detect = false needs columns = {'name': 'TYPE', …}", at: position)
        }
        return csv
    }
}
