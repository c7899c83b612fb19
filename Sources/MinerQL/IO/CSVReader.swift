// Reads CSV bytes into a typed table, sniffing what DuckDB sniffs: the
// delimiter (`,` `;` tab `|`), whether the first line is a header, and each
// column's type by elimination over a sample (BOOLEAN, BIGINT, DOUBLE, DATE,
// TIMESTAMP, else VARCHAR) in the first records. The rows themselves are
// parsed from bytes by CSVColumns, on both cores when the file allows. RFC
// 4180 quoting with quoted line breaks, CRLF, a UTF-8 BOM, and empty unquoted
// fields as NULL. A bad file is an error naming its line and
// yields no table; with ignore_errors the bad rows are skipped and counted.

/// The result of reading a CSV file.
struct CSVReadResult {
    var table: Table
    /// Rows skipped because of ignore_errors.
    var skippedRows: Int
}

public enum CSVReader {
    /// One record as text, for sniffing, and the line it starts on.
    struct Record {
        var fields: [String?]
        var line: Int
    }

    /// The first `count` records as text. A field that is empty and unquoted is nil.
    static func records(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, name: String, range: Range<Int>,
                        count: Int) throws -> (records: [Record], end: Int) {
        var scanner = CSVScanner(bytes: bytes, delimiter: delimiter, name: name, range: range, firstLine: 1)
        var fields: [CSVField] = []
        var records: [Record] = []
        while records.count < count, let line = try scanner.next(into: &fields) {
            records.append(Record(fields: try fields.map { field in
                if field.isNull { return nil }
                guard let text = scanner.text(field) else { throw MinerQLError(.io, "\(name):\(line): invalid UTF-8") }
                return text
            }, line: line))
        }
        return (records, scanner.position)
    }

    /// The delimiter that splits the first lines into the most columns
    /// consistently.
    static func sniffDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 10 {
            lines.append(bytes[start..<i])
            start = i + 1
            if lines.count == 20 { break }
        }
        if lines.count < 20 && start < bytes.count { lines.append(bytes[start...]) }
        var best: (delimiter: UInt8, columns: Int) = (UInt8(ascii: ","), 1)
        for candidate in [",", ";", "\t", "|"].map({ UInt8(ascii: Unicode.Scalar($0)!) }) {
            let counts = lines.filter { !$0.isEmpty }.map { line -> Int in
                var count = 1, inQuotes = false
                for b in line {
                    if b == UInt8(ascii: "\"") { inQuotes.toggle() } else if b == candidate && !inQuotes { count += 1 }
                }
                return count
            }
            guard let first = counts.first, first > 1, counts.allSatisfy({ $0 == first }) || counts.count == 1 else { continue }
            if first > best.columns { best = (candidate, first) }
        }
        return best.delimiter
    }

    /// Parses a value as `type`, honouring a custom date format.
    static func parse(_ text: String, as type: DataType, dateFormat: String?) -> Value? {
        if type == .date, let dateFormat {
            return DateCodec.parse(text, format: dateFormat).map(Value.date)
        }
        guard strictlyIs(type, text) else { return nil }
        return try? Cast.value(parsing: text, as: type, at: nil)
    }

    /// The narrowest type every non-NULL value parses as.
    static func sniff<S: Sequence>(_ values: S, dateFormat: String?) -> DataType where S.Element == String? {
        var candidates: [DataType] = [.boolean, .bigint, .double, .date, .timestamp]
        var sawValue = false
        for case let value? in values {
            sawValue = true
            candidates.removeAll { parse(value, as: $0, dateFormat: dateFormat) == nil }
            if candidates.isEmpty { return .varchar }
        }
        return sawValue ? candidates[0] : .varchar
    }

    /// Cast parsing is lenient where sniffing must not be (`1` is no BOOLEAN,
    /// `1.5` is no BIGINT, `nan` is no number).
    private static func strictlyIs(_ type: DataType, _ value: String) -> Bool {
        switch type {
        case .boolean:
            let lower = value.trimmingSpaces().lowercased()
            return lower == "true" || lower == "false"
        case .bigint: return Int64(value.trimmingSpaces()) != nil
        case .double:
            let t = value.trimmingSpaces().lowercased()
            return !t.isEmpty && !t.contains(where: { $0.isLetter && $0 != "e" })
        default: return true
        }
    }

    /// Reads CSV text that has a header line (the built-in tables).
    public static func table(named name: String, text: String) throws -> Table {
        var options = CSVOptions()
        options.header = true
        options.delimiter = UInt8(ascii: ",")
        return try read(MemoryBytes(storage: Array(text.utf8)), name: name, tableName: name, options: options).table
    }

    /// Reads CSV bytes into a table. `name` prefixes error messages.
    /// `headBytes` are read first, for sniffing the dialect, header and
    /// types; then the rows `windowBytes` at a time, stopping if `cancellation`
    /// is set.
    static func read(_ source: ByteSource, name: String, tableName: String, options: CSVOptions,
                     progress: QueryProgress? = nil, cancellation: Cancellation? = nil,
                     headBytes: Int = 8 << 20, windowBytes: Int = 8 << 20) throws -> CSVReadResult {
        // The head: whole records from the start (all of a small file), at
        // least two (a header and a row to sniff) when the file has them.
        var size = headBytes
        var head = try source.bytes(0..<size)
        while head.count < source.count {
            let end = head.withUnsafeBufferPointer(CSVColumns.lastRecordEnd)
            let earlier = end > 1 ? head.withUnsafeBufferPointer { CSVColumns.lastRecordEnd(UnsafeBufferPointer(rebasing: $0[0..<end - 1])) } : 0
            if earlier > 0 {
                head.removeLast(head.count - end)
                break
            }
            size *= 2
            // A record of gigabytes grows the head: within the memory limit only.
            try cancellation?.check()
            try cancellation?.checkMemory()
            // A file that shrank while being read ends where its bytes end.
            let more = try source.bytes(head.count..<size)
            if more.isEmpty { break }
            head += more
        }
        return try head.withUnsafeBufferPointer { bytes in
            try read(source, head: bytes, name: name, tableName: tableName, options: options, progress: progress,
                     cancellation: cancellation, windowBytes: windowBytes)
        }
    }

    private static func read(_ source: ByteSource, head bytes: UnsafeBufferPointer<UInt8>, name: String, tableName: String,
                             options: CSVOptions, progress: QueryProgress?, cancellation: Cancellation?,
                             windowBytes: Int) throws -> CSVReadResult {
        let delimiter = options.delimiter ?? sniffDelimiter(Array(bytes.prefix(1 << 16)))
        let bodyStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let (sampled, sampleEnd) = try records(bytes, delimiter: delimiter, name: name, range: bodyStart..<bytes.count,
                                               count: options.sampleSize + 1)
        guard let first = sampled.first else {
            throw MinerQLError(.io, "\(name): the file is empty")
        }
        let width = options.columns?.count ?? first.fields.count
        let sample = sampled.dropFirst().filter { $0.fields.count == width }
        var types = (0..<width).map { column in sniff(sample.lazy.map { $0.fields[column] }, dateFormat: options.dateFormat) }

        // A first line is a header if some typed column's first value does not fit its type.
        var hasHeader = options.header ?? true
        if options.header == nil && first.fields.count == width {
            let typed = types.indices.filter { types[$0] != .varchar }
            if !typed.isEmpty {
                hasHeader = typed.contains { column in
                    guard let value = first.fields[column] else { return false }
                    return parse(value, as: types[column], dateFormat: options.dateFormat) == nil
                }
            }
        }
        if !hasHeader {
            // The first line is data: its values count for the types too.
            types = (0..<width).map { column in
                sniff(([first] + sample).lazy.map { $0.fields.count == width ? $0.fields[column] : nil }, dateFormat: options.dateFormat)
            }
        }
        var names: [String]
        if let columns = options.columns {
            names = columns.map(\.0)
            types = columns.map(\.1)
        } else if hasHeader {
            names = uniqueNames(first.fields.enumerated().map { $0.element?.trimmingSpaces() ?? "column\($0.offset)" })
        } else {
            names = (0..<width).map { "column\($0)" }
        }
        if options.allVarchar, options.columns == nil {
            types = types.map { _ in .varchar }
        }
        for (column, type) in options.types {
            guard let index = names.firstIndex(where: { $0.caseInsensitiveEquals(column) }) else {
                throw MinerQLError(.binder, "\(name): types names column \"\(column)\", which the file does not have")
            }
            types[index] = type
        }
        var dataStart = bodyStart
        var firstLine = 1
        if hasHeader {
            var scanner = CSVScanner(bytes: bytes, delimiter: delimiter, name: name, range: bodyStart..<bytes.count, firstLine: 1)
            var fields: [CSVField] = []
            _ = try scanner.next(into: &fields)
            dataStart = scanner.position
            firstLine = scanner.line
        }
        let schema = zip(names, types).map { ColumnSchema(name: $0, type: $1) }
        let columns = CSVColumns(schema: schema, delimiter: delimiter, name: name, options: options, progress: progress,
                                 cancellation: cancellation, bytesPerRecord: (sampleEnd - bodyStart) / sampled.count, windowBytes: windowBytes)
        let quotes = bytes.contains(UInt8(ascii: "\""))
        let (vectors, skipped) = try columns.read(source, from: dataStart, firstLine: firstLine, quotesAhead: quotes)
        return CSVReadResult(table: Table(name: tableName, schema: schema, columns: vectors), skippedRows: skipped)
    }

    /// Names made unique the way DuckDB does: later duplicates get `_1`, `_2`, ….
    static func uniqueNames(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.map { name in
            var candidate = name.isEmpty ? "column" : name
            var suffix = 1
            while seen.contains(candidate.lowercased()) {
                candidate = "\(name)_\(suffix)"
                suffix += 1
            }
            seen.insert(candidate.lowercased())
            return candidate
        }
    }
}
