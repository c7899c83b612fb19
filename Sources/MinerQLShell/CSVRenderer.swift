// CSV output: a header line, then one line per row; fields quoted per RFC 4180
// when they contain a comma, quote or line break; NULL as an empty field.
import MinerQL

struct CSVRenderer: ResultRenderer {
    func render(_ result: QueryResult) -> String {
        var out = result.names.map(CSVRenderer.quote).joined(separator: ",") + "\n"
        for row in result.rows {
            out += row.map { $0.isNull ? "" : CSVRenderer.quote($0.description) }.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
