// Reads CSV text (RFC 4180: `,` separated, `"` quoted, `""` an escaped quote,
// LF or CRLF line ends) into a typed table. Column types are sniffed by
// elimination as DuckDB does: each column takes the first of BOOLEAN, BIGINT,
// DOUBLE, DATE that every non-empty value parses as, else VARCHAR. An empty
// unquoted field is NULL.

/// Parses CSV bytes into tables.
public enum CSVReader {
    /// The fields of each record; nil for an empty unquoted field.
    static func records(_ bytes: [UInt8]) throws -> [[String?]] {
        var records: [[String?]] = []
        var record: [String?] = []
        var field: [UInt8] = []
        var quoted = false
        var i = 0
        let n = bytes.count
        var line = 1
        func endField() {
            record.append(field.isEmpty && !quoted ? nil : String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") && field.isEmpty && !quoted {
                quoted = true
                i += 1
                let start = line
                while true {
                    guard i < n else {
                        throw MinerQLError(.io, "CSV error on line \(start): unterminated quoted field")
                    }
                    let c = bytes[i]
                    if c == UInt8(ascii: "\"") {
                        if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") {
                            field.append(c)
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    if c == 10 { line += 1 }
                    field.append(c)
                    i += 1
                }
                continue
            }
            if b == UInt8(ascii: ",") {
                endField()
            } else if b == 10 || b == 13 {
                endField()
                records.append(record)
                record.removeAll(keepingCapacity: true)
                if b == 13 && i + 1 < n && bytes[i + 1] == 10 { i += 1 }
                line += 1
            } else {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !record.isEmpty || quoted {
            endField()
            records.append(record)
        }
        // Blank lines carry no record.
        return records.filter { !($0.count == 1 && $0[0] == nil) }
    }

    /// The narrowest type every non-NULL value parses as.
    static func sniff<S: Sequence>(_ values: S) -> DataType where S.Element == String? {
        var candidates: [DataType] = [.boolean, .bigint, .double, .date]
        var sawValue = false
        for case let value? in values {
            sawValue = true
            candidates.removeAll { (try? Cast.value(parsing: value, as: $0, at: nil)) == nil || !strictlyIs($0, value) }
            if candidates.isEmpty { return .varchar }
        }
        return sawValue ? candidates[0] : .varchar
    }

    /// Cast parsing is lenient where sniffing must not be (`1` is no BOOLEAN,
    /// `1.5` is no BIGINT).
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

    /// Reads CSV text with a header line into a table named `name`.
    public static func table(named name: String, text: String) throws -> Table {
        let records = try records(Array(text.utf8))
        guard let header = records.first else {
            throw MinerQLError(.io, "CSV file for table \(name) is empty")
        }
        let names = header.enumerated().map { $0.element ?? "column\($0.offset)" }
        let rows = records.dropFirst()
        for (offset, row) in rows.enumerated() where row.count != names.count {
            throw MinerQLError(.io, "CSV error in table \(name) on line \(offset + 2): expected \(names.count) fields, found \(row.count)")
        }
        var schema: [ColumnSchema] = []
        var columns: [Vector] = []
        for (index, columnName) in names.enumerated() {
            let values = rows.map { $0[index] }
            let type = sniff(values)
            var builder = VectorBuilder(type, capacity: values.count)
            for value in values {
                if let value { builder.append(try Cast.value(parsing: value, as: type, at: nil)) } else { builder.appendNull() }
            }
            schema.append(ColumnSchema(name: columnName, type: type))
            columns.append(builder.build())
        }
        return Table(name: name, schema: schema, columns: columns)
    }
}
