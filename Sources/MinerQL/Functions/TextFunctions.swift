// String scalar functions. Positions are 1-based and count characters, as in DuckDB.

extension FunctionRegistry {
    static func registerText(into table: inout [String: Resolver]) {
        table["length"] = { types in
            guard types.count == 1, types[0] == .varchar || types[0] == .null else { return nil }
            return ScalarFunction("length", [.varchar], .bigint) { args, _ in
                Kernels.stringToBigint(args[0]) { Int64($0.count) }
            }
        }
        table["len"] = table["length"]
        table["char_length"] = table["length"]
        table["upper"] = { types in
            guard types.count == 1, types[0] == .varchar || types[0] == .null else { return nil }
            return ScalarFunction("upper", [.varchar], .varchar) { args, _ in Kernels.mapString(args[0]) { $0.uppercased() } }
        }
        table["ucase"] = table["upper"]
        table["lower"] = { types in
            guard types.count == 1, types[0] == .varchar || types[0] == .null else { return nil }
            return ScalarFunction("lower", [.varchar], .varchar) { args, _ in Kernels.mapString(args[0]) { $0.lowercased() } }
        }
        table["lcase"] = table["lower"]
        table["substr"] = { types in
            guard types.count == 2 || types.count == 3 else { return nil }
            guard types[0] == .varchar || types[0] == .null,
                  types.dropFirst().allSatisfy({ $0 == .bigint || $0 == .null }) else { return nil }
            return ScalarFunction("substr", [.varchar] + Array(repeating: .bigint, count: types.count - 1), .varchar) { args, count in
                let strings = Kernels.strings(args[0]), starts = Kernels.bigints(args[1])
                let lengths = args.count == 3 ? Kernels.bigints(args[2]) : nil
                let validity = Kernels.validity(args)
                var output = [String](repeating: "", count: count)
                for row in 0..<count where validity.isValid(row) {
                    output[row] = substring(strings[row], start: starts[row], length: lengths?[row])
                }
                return Vector(.varchar(output), validity: validity)
            }
        }
        table["substring"] = table["substr"]
    }

    /// DuckDB's substring: 1-based start; a start of 0 or below eats into the
    /// length; a negative start counts from the end.
    static func substring(_ text: String, start: Int64, length: Int64?) -> String {
        let characters = Array(text)
        let total = Int64(characters.count)
        var from = start > 0 ? start - 1 : (start < 0 ? Swift.max(0, total + start) : 0)
        var end: Int64
        if let length {
            if start == 0 {
                end = length - 1
            } else {
                end = from &+ length
            }
            if length < 0 {
                // A negative length takes characters before the start.
                end = from
                from = Swift.max(0, from + length)
            }
        } else {
            end = total
        }
        from = Swift.max(0, Swift.min(from, total))
        end = Swift.max(from, Swift.min(end, total))
        return String(characters[Int(from)..<Int(end)])
    }
}
