// Drives the real minerql binary in a pseudo-terminal through `script`, so the
// REPL runs with libedit exactly as a person would see it: keystrokes in,
// screen text out.
import Foundation
import XCTest

final class TerminalSession: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let outputPipe = Pipe()
    private let lock = NSLock()
    private var buffer = Data()

    /// The built `minerql` executable beside the test bundle.
    static var binary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("minerql")
    }

    /// `environment` adds to (or, with nil values, removes from) the test's own.
    init(historyPath: String, arguments: String = "", environment changes: [String: String?] = [:]) throws {
        let binary = TerminalSession.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("no minerql binary at \(binary.path); run `swift build` first")
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", "stty cols 200 rows 50; exec \(binary.path) \(arguments)", "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        environment["MINERQL_HISTORY"] = historyPath
        for (name, value) in changes { environment[name] = value }
        process.environment = environment
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        outputPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.buffer.append(data)
            self.lock.unlock()
        }
        try process.run()
    }

    /// Everything the terminal showed so far, with escape sequences removed.
    var screen: String { TerminalSession.stripEscapes(rawScreen) }

    /// Everything the terminal showed so far, colours and all.
    var rawScreen: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: buffer, as: UTF8.self)
    }

    static func stripEscapes(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\u{1B}[()][A-Z0-9]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
    }

    func send(_ keys: String) {
        input.fileHandleForWriting.write(Data(keys.utf8))
    }

    /// Waits until the screen shows `text` (counting from `after` characters in);
    /// fails the test if it does not within the timeout.
    @discardableResult
    func waitFor(_ text: String, after offset: Int = 0, timeout: TimeInterval = 20,
                 file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let current = screen
            if current.count >= offset, current.dropFirst(offset).contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(text.debugDescription); screen:\n\(screen)", file: file, line: line)
        return false
    }

    /// Sends `signal` to minerql itself (the child of `script`), as `kill` would.
    func signalShell(_ signal: Int32) {
        let pid = process.processIdentifier
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, signal) }
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit(timeout: TimeInterval = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
        outputPipe.fileHandleForReading.readabilityHandler = nil
    }
}
