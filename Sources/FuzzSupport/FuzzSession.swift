// What both libFuzzer targets do with an input once it is SQL: run it in a
// fresh copy of a session on the built-in tables (read from datasets/), under a
// memory_limit and a watchdog that cancels after a second, so a slow or huge
// statement is an answer, not a fuzzer timeout. Errors are expected; a crash,
// a trap or an INTERNAL error is a finding.
import Dispatch
import Foundation
import MinerQL
import QueryGenerator

public enum FuzzSession {
    /// The CSV text of each built-in table, by name.
    private static let datasets: [(name: String, csv: String)] = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = repository.appendingPathComponent("datasets")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let tables = files.filter { $0.hasSuffix(".csv") }.sorted().compactMap { file -> (String, String)? in
            guard let csv = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else { return nil }
            return (String(file.dropLast(4)), csv)
        }
        if tables.isEmpty { fatalError("no datasets/*.csv under \(repository.path)") }
        return tables
    }()

    /// The session every input starts from: the built-in tables and a scratch
    /// copy of one of them, loaded once. Only the fuzzing thread touches it.
    nonisolated(unsafe) private static let base: Database = {
        let database = Database()
        database.settings.memoryLimit = 1 << 30
        do {
            for table in datasets { try database.loadCSV(table: table.name, text: table.csv) }
            try database.execute("CREATE TABLE scratch AS SELECT * FROM miners")
        } catch {
            fatalError("cannot load the built-in tables: \(error)")
        }
        return database
    }()

    /// The tables a statement may read, for the generator.
    public static let tables: [GeneratorTable] = {
        let database = base
        return database.tableNames.compactMap { name in
            database.schema(of: name).map { GeneratorTable(name: name, columns: $0.map { ($0.name, $0.type) }) }
        }
    }()

    private static let watchdog = Watchdog()

    /// Set `FUZZ_PRINT=1` to see each statement (to read what a crasher runs).
    private static let printing = ProcessInfo.processInfo.environment["FUZZ_PRINT"] != nil

    /// Runs `sql` in a fresh session.
    public static func run(_ sql: String) {
        if printing {
            print(sql)
            fflush(nil)  // before a crash can lose it
        }
        let database = base.copy()
        watchdog.arm(database.cancellation)
        defer { watchdog.disarm() }
        do {
            try database.execute(sql)
        } catch let error as MinerQLError where error.kind == .internal {
            fatalError("INTERNAL error for \(sql):\n\(error)")
        } catch {
            if printing { print(error) }
        }
    }
}

/// Cancels the statement it was armed for once a second has passed.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var generation = 0

    func arm(_ cancellation: Cancellation) {
        let armed = lock.withLock { generation += 1; return generation }
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { [self] in
            lock.withLock { if generation == armed { cancellation.cancel() } }
        }
    }

    func disarm() { lock.withLock { generation += 1 } }
}
