// SUMMARIZE: one row per column of a result with DuckDB's columns: min, max,
// distinct count, avg, std, quartiles, count and the share of NULLs. Quartiles
// here are exact (DuckDB's are approximate).

enum Summary {
    static func of(_ result: QueryResult) -> QueryResult {
        let names = ["column_name", "column_type", "min", "max", "approx_unique", "avg", "std", "q25", "q50", "q75", "count", "null_percentage"]
        let types: [DataType] = [.varchar, .varchar, .varchar, .varchar, .bigint, .varchar, .varchar, .varchar, .varchar, .varchar, .bigint, .double]
        var builders = types.map { VectorBuilder($0) }
        let rows = result.rows
        for (c, name) in result.names.enumerated() {
            let values = rows.map { $0[c] }.filter { !$0.isNull }
            var minimum = Value.null, maximum = Value.null
            for v in values {
                if minimum.isNull || ValueOrder.compare(v, minimum) < 0 { minimum = v }
                if maximum.isNull || ValueOrder.compare(v, maximum) > 0 { maximum = v }
            }
            let numbers: [Double] = result.types[c].isNumeric ? values.map { v in
                if case .bigint(let i) = v { return Double(i) }
                if case .double(let d) = v { return d }
                return 0
            } : []
            func text(_ d: Double?) -> Value { d.map { .varchar(Value.format(double: $0)) } ?? .null }
            let mean = numbers.isEmpty ? nil : numbers.reduce(0, +) / Double(numbers.count)
            var std: Double?
            if let mean, numbers.count > 1 {
                std = (numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(numbers.count - 1)).squareRoot()
            }
            let sorted = numbers.sorted { ValueOrder.compareDoubles($0, $1) < 0 }
            func quantile(_ q: Double) -> Double? {
                guard !sorted.isEmpty else { return nil }
                let p = q * Double(sorted.count - 1)
                let lo = Int(p.rounded(.down)), hi = Int(p.rounded(.up))
                return sorted[lo] + (sorted[hi] - sorted[lo]) * (p - Double(lo))
            }
            let row: [Value] = [
                .varchar(name), .varchar(result.types[c].description),
                minimum.isNull ? .null : .varchar(minimum.description), maximum.isNull ? .null : .varchar(maximum.description),
                .bigint(Int64(Set(values).count)), text(mean), text(std), text(quantile(0.25)), text(quantile(0.5)), text(quantile(0.75)),
                .bigint(Int64(rows.count)),
                .double(rows.isEmpty ? 0 : (Double(rows.count - values.count) * 10_000 / Double(rows.count)).rounded() / 100),
            ]
            for (i, value) in row.enumerated() { builders[i].append(value) }
        }
        let columns = builders.map { $0.build() }
        return QueryResult(names: names, types: types, chunks: [DataChunk(columns: columns, count: result.names.count)])
    }
}
