// Thousands of random statements from the grammar-aware generator, run on the
// built-in tables: none may crash the process (a trap ends the test run) or end
// in an INTERNAL error, and each failing statement leaves the tables as they
// were. The same generator drives the libFuzzer target in Fuzz/ (`make fuzz`).
import MinerQL
import MinerQLDatasets
import QueryGenerator
import XCTest

final class GeneratedQueryTests: XCTestCase {
    private func database() throws -> Database {
        let database = Database()
        for (name, csv) in BuiltinDatasets.all { try database.loadCSV(table: name, text: csv) }
        try database.execute("CREATE TABLE scratch AS SELECT * FROM miners")
        return database
    }

    private func tables(of database: Database) -> [GeneratorTable] {
        database.tableNames.compactMap { name in
            database.schema(of: name).map { GeneratorTable(name: name, columns: $0.map { ($0.name, $0.type) }) }
        }
    }

    func testRandomStatementsNeverCrashOrFailInternally() throws {
        let database = try database()
        var generator = QueryGenerator(tables: tables(of: database), choices: SeededChoices(seed: 20261127))
        /// Each table's row count; taken again only after a statement succeeds.
        func rowCounts() -> [[[Value]]?] {
            database.tableNames.map { (try? database.execute("SELECT count(*) FROM \"\($0)\""))?.first?.rows }
        }
        var counts = rowCounts()
        var succeeded = 0, failed = 0
        for _ in 0..<3_000 {
            let sql = generator.statement()
            do {
                try database.execute(sql)
                succeeded += 1
                counts = rowCounts()
            } catch let error as MinerQLError {
                failed += 1
                XCTAssertNotEqual(error.kind, .internal, "\(sql)\n\(error)")
                XCTAssertEqual(rowCounts(), counts, "a failed statement changed the tables: \(sql)")
            }
        }
        // The generator is only useful if much of what it writes runs.
        XCTAssertGreaterThan(succeeded, 2_000, "succeeded \(succeeded), failed \(failed)")
    }
}
