// Nothing typed or written is lost: history reaches the file before the
// statement runs (kill -9 keeps it), shells sharing a history file keep every
// line whole, and COPY … TO or .output interrupted by SIGTERM or SIGINT leaves
// the old file or the complete new one, never a part.
import Foundation
import XCTest
@testable import MinerQLShell

final class DurabilityTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-durable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    func testHistorySurvivesKillNine() throws {
        let history = directory.appendingPathComponent("history").path
        let session = try TerminalSession(historyPath: history)
        session.waitFor("minerql> ")
        session.send("SELECT 'before the kill' AS k;\r")
        session.waitFor("│ before the kill │")
        session.send("SELECT count(*) FROM prices a, prices b, prices c, prices d, prices e;\r")
        Thread.sleep(forTimeInterval: 0.5)
        session.signalShell(SIGKILL)
        _ = session.waitForExit()
        let lines = try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines, ["SELECT 'before the kill' AS k;",
                               "SELECT count(*) FROM prices a, prices b, prices c, prices d, prices e;"])
    }

    func testShellsSharingAHistoryFileKeepEveryLineWhole() throws {
        let path = directory.appendingPathComponent("shared-history").path
        let writers = 4, entries = 300
        // Each writer is its own HistoryFile, as each shell process is; the
        // entries are long and multi-line so that torn writes would show.
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            let history = HistoryFile(path: path)
            for n in 0..<entries {
                history.append("SELECT \(writer) AS writer,\n       \(n) AS n, '\(String(repeating: "x", count: 2000))' AS padding;")
            }
        }
        let reread = HistoryFile(path: path).entries
        XCTAssertEqual(reread.count, writers * entries)
        for writer in 0..<writers {
            let mine = reread.filter { $0.hasPrefix("SELECT \(writer) AS writer,\n") }
            XCTAssertEqual(mine.count, entries, "writer \(writer)")
            XCTAssertEqual(mine.map { $0.split(separator: "\n")[1] }, (0..<entries).map { "       \($0) AS n, '\(String(repeating: "x", count: 2000))' AS padding;" }[...].map { Substring($0) })
        }
    }

    /// Starts `minerql` with `arguments` and sends `signal` after `delay`, or
    /// (delay nil) as soon as anything in the directory changes: a temporary
    /// file appears or the target starts to change, mid-write. Returns what
    /// `path` then holds.
    private func interrupted(_ arguments: [String], signal: Int32, after delay: TimeInterval?, path: String) throws -> String {
        let before = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let process = Process()
        process.executableURL = TerminalSession.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let delay {
            Thread.sleep(forTimeInterval: delay)
        } else {
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, Date() < deadline,
                  (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) == before,
                  (try? String(contentsOfFile: path, encoding: .utf8)) == "old contents\n" {
                usleep(200)
            }
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(missing)"
    }

    private func assertOldOrComplete(_ arguments: [String], file name: String, complete: (String) -> Bool,
                                     line: UInt = #line) throws {
        guard FileManager.default.isExecutableFile(atPath: TerminalSession.binary.path) else {
            throw XCTSkip("no minerql binary; run `swift build` first")
        }
        let path = directory.appendingPathComponent(name).path
        for signal in [SIGTERM, SIGINT] {
            for delay in [nil, 0.05, 0.3] as [TimeInterval?] {
                try "old contents\n".write(toFile: path, atomically: true, encoding: .utf8)
                let contents = try interrupted(arguments, signal: signal, after: delay, path: path)
                XCTAssertTrue(contents == "old contents\n" || complete(contents),
                              "signal \(signal) after \(delay.map { "\($0) s" } ?? "the first write") left \(contents.utf8.count) bytes",
                              line: line)
            }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "temporary files left behind", line: line)
    }

    private let rows = 2_000_000

    /// Bytes of the CSV of `SELECT range FROM range(rows)`, worked out once.
    private lazy var csvSize = 6 + (0..<rows).reduce(0) { $0 + String($1).utf8.count + 1 }

    /// The CSV of `SELECT range FROM range(rows)`: a header and every number.
    private func isCompleteRange(_ text: String) -> Bool {
        text.hasPrefix("range\n0\n") && text.hasSuffix("\n\(rows - 1)\n") && text.utf8.count == csvSize
    }

    func testCopyToIsAtomicUnderSignals() throws {
        try assertOldOrComplete(["-c", "COPY (SELECT range FROM range(\(rows))) TO 'out.csv' (HEADER)"], file: "out.csv",
                                complete: isCompleteRange)
    }

    func testOutputIsAtomicUnderSignals() throws {
        try assertOldOrComplete(["--csv", "-c", ".output out.txt", "-c", "SELECT range FROM range(\(rows))"], file: "out.txt",
                                complete: isCompleteRange)
    }
}
