// Functions over any type: coalesce, nullif, typeof.

extension FunctionRegistry {
    static func registerGeneric(into table: inout [String: Resolver]) {
        let coalesce: Resolver = { types in
            guard !types.isEmpty, let common = commonType(types) else { return nil }
            return ScalarFunction("coalesce", Array(repeating: common, count: types.count), common) { args, count, _ in
                var indices = [Int](repeating: -1, count: count)
                for row in 0..<count {
                    for (i, arg) in args.enumerated() where !arg.isNull(row) {
                        indices[row] = i
                        break
                    }
                }
                var builder = VectorBuilder(common, capacity: count)
                for row in 0..<count {
                    if indices[row] < 0 { builder.appendNull() } else { builder.append(args[indices[row]].value(at: row)) }
                }
                return builder.build()
            }
        }
        table["coalesce"] = coalesce
        table["ifnull"] = { types in types.count == 2 ? try coalesce(types) : nil }
        table["nullif"] = { types in
            guard types.count == 2, let common = commonType(types) else { return nil }
            return ScalarFunction("nullif", [common, common], common) { args, count, _ in
                var builder = VectorBuilder(common, capacity: count)
                for row in 0..<count {
                    let a = args[0].value(at: row)
                    if !a.isNull && a == args[1].value(at: row) { builder.appendNull() } else { builder.append(a) }
                }
                return builder.build()
            }
        }
        table["typeof"] = { types in
            guard types.count == 1 else { return nil }
            let name = types[0].description
            return ScalarFunction("typeof", [types[0]], .varchar) { _, count, _ in
                Vector(.varchar(StringVector(repeating: name, count: count)))
            }
        }
    }

    static func commonType(_ types: [DataType]) -> DataType? {
        var result = DataType.null
        for type in types {
            guard let common = DataType.common(result, type) else { return nil }
            result = common
        }
        return result
    }
}
