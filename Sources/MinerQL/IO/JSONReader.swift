// Reads JSON files into tables: a top-level array of objects, or one object per
// line (JSON Lines). Each key becomes a column, in the order keys first appear;
// types by elimination: all integers BIGINT, numbers DOUBLE, booleans BOOLEAN,
// strings DATE or TIMESTAMP if every one is an ISO date or timestamp, else VARCHAR; nested arrays and
// objects are kept as their JSON text. Errors name the line.

enum JSONReader {
    /// A parsed JSON value.
    indirect enum JSON: Equatable {
        case null
        case bool(Bool)
        case integer(Int64)
        case number(Double)
        case string(String)
        case array([JSON])
        case object([(String, JSON)])

        static func == (a: JSON, b: JSON) -> Bool { a.text == b.text }

        /// The value written back as compact JSON text.
        var text: String {
            switch self {
            case .null: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .integer(let i): return String(i)
            case .number(let d): return Value.format(double: d)
            case .string(let s): return ResultWriter.jsonString(s)
            case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
            case .object(let members):
                return "{" + members.map { ResultWriter.jsonString($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
            }
        }
    }

    /// A recursive-descent JSON parser over bytes that tracks the line.
    struct Parser {
        let bytes: [UInt8]
        let name: String
        var index = 0
        var line = 1

        init(_ bytes: [UInt8], name: String) {
            self.bytes = bytes
            self.name = name
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        func error(_ message: String) -> MinerQLError {
            MinerQLError(.io, "\(name):\(line): \(message)")
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 10: line += 1; index += 1
                case 32, 9, 13: index += 1
                default: return
                }
            }
        }

        var atEnd: Bool { index >= bytes.count }

        mutating func value(depth: Int = 0) throws -> JSON {
            guard depth < 512 else { throw error("nesting too deep") }
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(String, JSON)] = []
                skipSpace()
                if index < bytes.count && bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let key = try string()
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    index += 1
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard index < bytes.count else { throw error("unexpected end of input") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [JSON] = []
                skipSpace()
                if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw error("unexpected end of input") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default:
                return try number()
            }
        }

        private mutating func literal(_ word: String, _ value: JSON) throws -> JSON {
            let utf8 = Array(word.utf8)
            guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
                throw error("invalid literal")
            }
            index += utf8.count
            return value
        }

        private mutating func number() throws -> JSON {
            let start = index
            while index < bytes.count, [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index])
                    || (bytes[index] >= 48 && bytes[index] <= 57) {
                index += 1
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if let i = Int64(text) { return .integer(i) }
            if !text.isEmpty, let d = Double(text) { return .number(d) }
            guard text.isEmpty else { throw error("invalid number \(text)") }
            // Bytes that are not printable ASCII are named, not echoed to the terminal.
            let byte = bytes[start], hex = String(byte, radix: 16, uppercase: true)
            throw error((0x21...0x7E).contains(byte) ? "unexpected character '\(Character(Unicode.Scalar(byte)))'"
                        : "unexpected byte 0x\(hex.count == 1 ? "0" + hex : hex)")
        }

        private mutating func string() throws -> String {
            index += 1
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else { throw error("unterminated string") }
                let b = bytes[index]
                index += 1
                if b == UInt8(ascii: "\"") { break }
                if b == 10 { throw error("unescaped line break in string") }
                if b != UInt8(ascii: "\\") { out.append(b); continue }
                guard index < bytes.count else { throw error("unterminated string") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00, index + 1 < bytes.count,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: out.append(e)
                }
            }
            guard let text = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8") }
            return text
        }

        private mutating func hex4() throws -> UInt32 {
            guard bytes.count - index >= 4, let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw error("invalid \\u escape")
            }
            index += 4
            return v
        }
    }

    /// The records of a file: the objects of a top-level array, or one object
    /// per line.
    static func records(_ bytes: [UInt8], name: String) throws -> [[(String, JSON)]] {
        var parser = Parser(bytes, name: name)
        parser.skipSpace()
        var values: [JSON] = []
        while !parser.atEnd {
            let line = parser.line
            let value = try parser.value()
            if case .array(let items) = value, values.isEmpty {
                values = items
                parser.skipSpace()
                guard parser.atEnd else { throw parser.error("unexpected content after the top-level array") }
                break
            }
            guard case .object = value else {
                throw MinerQLError(.io, "\(name):\(line): expected a JSON object")
            }
            values.append(value)
            parser.skipSpace()
        }
        return try values.enumerated().map { offset, value in
            guard case .object(let members) = value else {
                throw MinerQLError(.io, "\(name): element \(offset + 1) of the array is not an object")
            }
            return members
        }
    }

    static func read(_ bytes: [UInt8], name: String, tableName: String) throws -> Table {
        let records = try records(bytes, name: name)
        // Columns in order of first appearance; each record's members are
        // placed by a lookup of their key, so wide records cost linear time.
        var names: [String] = []
        var columnOfKey: [String: Int] = [:]
        for record in records {
            for (key, _) in record where columnOfKey[key] == nil {
                columnOfKey[key] = names.count
                names.append(key)
            }
        }
        var columns = [[JSON]](repeating: [JSON](repeating: .null, count: records.count), count: names.count)
        for (row, record) in records.enumerated() {
            // In reverse, so that of a key given twice the first value stays.
            for (key, value) in record.reversed() { columns[columnOfKey[key] ?? 0][row] = value }
        }
        var schema: [ColumnSchema] = []
        var vectors: [Vector] = []
        for (key, values) in zip(names, columns) {
            let type = sniff(values)
            var builder = VectorBuilder(type, capacity: values.count)
            for value in values { builder.append(convert(value, to: type)) }
            schema.append(ColumnSchema(name: key, type: type))
            vectors.append(builder.build())
        }
        return Table(name: tableName, schema: schema, columns: vectors)
    }

    private static func sniff(_ values: [JSON]) -> DataType {
        var type = DataType.null
        for value in values {
            let own: DataType
            switch value {
            case .null: continue
            case .bool: own = .boolean
            case .integer: own = .bigint
            case .number: own = .double
            case .string(let s):
                if DateCodec.parse(s) != nil && s.count >= 8 {
                    own = .date
                } else if s.contains(":"), DateCodec.parseTimestamp(s) != nil {
                    own = .timestamp
                } else {
                    own = .varchar
                }
            case .array, .object: own = .varchar
            }
            if type == .null || type == own {
                type = own
            } else if let common = DataType.common(type, own) {
                type = common
            } else {
                return .varchar
            }
        }
        return type == .null ? .varchar : type
    }

    private static func convert(_ value: JSON, to type: DataType) -> Value {
        switch (value, type) {
        case (.null, _): return .null
        case (.bool(let b), .boolean): return .boolean(b)
        case (.integer(let i), .bigint): return .bigint(i)
        case (.integer(let i), .double): return .double(Double(i))
        case (.number(let d), .double): return .double(d)
        case (.string(let s), .date): return DateCodec.parse(s).map(Value.date) ?? .null
        case (.string(let s), .timestamp): return DateCodec.parseTimestamp(s).map(Value.timestamp) ?? .null
        case (.string(let s), .varchar): return .varchar(s)
        default: return .varchar(value.text)
        }
    }
}
