// Every input that ever crashed a fuzz target (Tests/fuzz/crashers, kept by
// `make fuzz`) runs again here on the built-in tables: it must end in an
// answer or an error, never a trap or an INTERNAL error.
import Foundation
import MinerQL
import MinerQLDatasets
import XCTest

final class FuzzRegressionTests: XCTestCase {
    func testCrashersNoLongerCrash() throws {
        let directory = TestPaths.repository.appendingPathComponent("Tests/fuzz/crashers")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        XCTAssertFalse(files.isEmpty, "no crashers in \(directory.path)")
        let base = Database()
        for (name, csv) in BuiltinDatasets.all { try base.loadCSV(table: name, text: csv) }
        try base.execute("CREATE TABLE scratch AS SELECT * FROM miners")
        for file in files {
            let bytes = try Data(contentsOf: directory.appendingPathComponent(file))
            do {
                try base.copy().execute(String(decoding: bytes, as: UTF8.self))
            } catch let error as MinerQLError {
                XCTAssertNotEqual(error.kind, .internal, "\(file): \(error)")
            }
        }
    }
}
