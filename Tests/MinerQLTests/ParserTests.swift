// The parser: precedence, statement splitting, positions on nodes, and errors
// that point at the offending token.
@testable import MinerQL
import XCTest

final class ParserTests: XCTestCase {
    private func expression(_ sql: String) throws -> String {
        var parser = try Parser(sql)
        return ExprPrinter.text(of: try parser.expression())
    }

    func testPrecedence() throws {
        XCTAssertEqual(try expression("1 + 2 * 3 - 4"), "((1 + (2 * 3)) - 4)")
        XCTAssertEqual(try expression("a OR b AND NOT c = 1"), "(a OR (b AND (NOT (c = 1))))")
        XCTAssertEqual(try expression("'a' || 'b' = 'ab'"), "(('a' || 'b') = 'ab')")
        XCTAssertEqual(try expression("x BETWEEN 1 AND 2 AND y"), "((x BETWEEN 1 AND 2) AND y)")
        XCTAssertEqual(try expression("-x::BIGINT"), "-(CAST(x AS BIGINT))")
        XCTAssertEqual(try expression("a IS NOT NULL AND b NOT IN (1, 2)"), "((a IS NOT NULL) AND (b NOT IN (1, 2)))")
        XCTAssertEqual(try expression("7 // 2 % 3"), "((7 // 2) % 3)")
    }

    func testStatementsAndTheirText() throws {
        let statements = try Parser.parse("SELECT 1;\n  -- note\nFROM miners;;")
        XCTAssertEqual(statements.count, 2)
        XCTAssertEqual(statements[1].text, "FROM miners")
        XCTAssertEqual(statements[1].position.line, 3)
    }

    func testSyntaxErrorPointsAtToken() {
        XCTAssertThrowsError(try Parser.parse("SELECT a\nFROM t WHERE AND b")) { error in
            let e = error as? MinerQLError
            XCTAssertEqual(e?.description, "Parser Error: syntax error at or near \"AND\"")
            XCTAssertEqual(e?.position?.line, 2)
            XCTAssertEqual(e?.rendered(source: "SELECT a\nFROM t WHERE AND b"),
                           "Parser Error: syntax error at or near \"AND\"\n\nLINE 2: FROM t WHERE AND b\n                     ^")
        }
        XCTAssertThrowsError(try Parser.parse("SELECT (1")) { error in
            XCTAssertEqual((error as? MinerQLError)?.description, "Parser Error: syntax error at end of input")
        }
    }

    func testTrailingCommaAndFromFirst() throws {
        let statements = try Parser.parse("SELECT a, b, FROM t; FROM t")
        guard case .select(let q) = statements[0].kind, case .select(let core) = q.body else { return XCTFail() }
        XCTAssertEqual(core.items.count, 2)
        guard case .select(let q2) = statements[1].kind, case .select(let core2) = q2.body else { return XCTFail() }
        XCTAssertEqual(core2.items.count, 1)
    }
}
