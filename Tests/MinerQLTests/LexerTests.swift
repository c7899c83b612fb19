// Tokens carry the right kind, text and line/column position.
@testable import MinerQL
import XCTest

final class LexerTests: XCTestCase {
    func testKindsTextAndPositions() throws {
        let tokens = try Lexer.tokenize("SELECT \"Weird Name\", 'it''s' -- comment\n  FROM t /* block\n */ WHERE x >= 1.5e3 |> $p")
        let summary = tokens.map { "\($0.kind):\($0.text)@\($0.position.line):\($0.position.column)" }
        XCTAssertEqual(summary, [
            "word:SELECT@1:1", "quotedIdentifier:Weird Name@1:8", "symbol:,@1:20", "string:it's@1:22",
            "word:FROM@2:3", "word:t@2:8", "word:WHERE@3:5", "word:x@3:11", "symbol:>=@3:13", "decimal:1.5e3@3:16",
            "symbol:|>@3:22", "parameter:p@3:25", "end:@3:27",
        ])
    }

    func testColumnsCountCharactersNotBytes() throws {
        let tokens = try Lexer.tokenize("SELECT 'é', x")
        XCTAssertEqual(tokens[3].text, "x")
        XCTAssertEqual(tokens[3].position.column, 13)
    }

    func testUnterminatedInputIsAnError() {
        XCTAssertThrowsError(try Lexer.tokenize("SELECT 'open")) { error in
            XCTAssertEqual((error as? MinerQLError)?.description, "Parser Error: unterminated string literal")
        }
        XCTAssertThrowsError(try Lexer.tokenize("SELECT /* open")) { error in
            XCTAssertEqual((error as? MinerQLError)?.position, SourcePosition(offset: 7, line: 1, column: 8))
        }
    }
}
