// Runs the built minerql binary with arguments and stdin, capturing stdout,
// stderr and the exit status: how scripts, pipes and Makefiles use it.
import Foundation
import XCTest

struct BinaryRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `minerql` (or `executable`) in `directory` with `HOME` set to it when given.
    static func minerql(_ arguments: [String], stdin: String = "", directory: URL? = nil,
                        executable: URL = TerminalSession.binary) throws -> BinaryRun {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw XCTSkip("no minerql binary at \(executable.path); run `swift build` first")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory {
            process.currentDirectoryURL = directory
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = directory.path
            process.environment = environment
        }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BinaryRun(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: err, as: UTF8.self))
    }
}
