// A test case that runs a shell on the built-in tables and keeps what it
// writes: results in `output`, errors in `errors`.
import MinerQL
@testable import MinerQLShell
import XCTest

class ShellTestCase: XCTestCase {
    var output = ""
    var errors = ""

    /// A new shell on the built-in tables; `output` and `errors` start empty.
    func shell() throws -> Shell {
        output = ""
        errors = ""
        return Shell(database: try Session.database(.builtin), output: { self.output += $0 }, errors: { self.errors += $0 })
    }
}
