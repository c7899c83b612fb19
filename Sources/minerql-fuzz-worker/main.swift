// minerql-fuzz-worker: the minerql side of the differential fuzzer
// (scripts/fuzz-diff). Reads one SQL statement per line on stdin and answers
// each with one line on stdout, so the driver can tell which statement killed
// the process when it dies:
//   OK <TAB> rows, each value escaped, values joined by \x1f, rows by \x1e
//   ERR <TAB> error kind <TAB> the message's first line
// Values longer than 4,096 bytes are shortened (see `shortened`).
// A statement running longer than MINERQL_FUZZ_TIMEOUT seconds (default 5) is
// cancelled; if it does not stop, the driver's own timeout counts a hang.
// `--functions` prints every function name the engine knows, one per line.
import Foundation
import MinerQL
import MinerQLDatasets
import Synchronization

if CommandLine.arguments.dropFirst().first == "--functions" {
    for name in Database.functionNames { print(name) }
    exit(0)
}

/// Keeps a value on one line: backslash, tab, newline, carriage return and the
/// two separators become escapes.
func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\u{1e}", "\u{1f}": out += "\\x\(String(scalar.value, radix: 16))"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// A value longer than 4,096 bytes as `#len:N:` and its first 1,000 characters
/// (the driver shortens DuckDB's answers the same way).
func shortened(_ text: String) -> String {
    let length = text.utf8.count
    return length > 4096 ? "#len:\(length):" + String(text.prefix(1000)) : text
}

let database = Database()
for (name, csv) in BuiltinDatasets.all { try database.loadCSV(table: name, text: csv) }
let timeout = Double(ProcessInfo.processInfo.environment["MINERQL_FUZZ_TIMEOUT"] ?? "") ?? 5
let watchdog = DispatchQueue(label: "minerql-fuzz-worker.watchdog")
/// Counts statements started and finished, so a watchdog fires only on the
/// statement it was set for.
let generation = Atomic<Int>(0)
let cancellation = database.cancellation

while let line = readLine(strippingNewline: true) {
    let mine = generation.add(1, ordering: .sequentiallyConsistent).newValue
    watchdog.asyncAfter(deadline: .now() + timeout) {
        if generation.load(ordering: .sequentiallyConsistent) == mine { cancellation.cancel() }
    }
    var answer: String
    do {
        let result = try database.execute(line).last
        let rows = result?.rows ?? []
        answer = "OK\t" + rows.map { row in
            row.map { $0.isNull ? "NULL" : escaped(shortened($0.description)) }.joined(separator: "\u{1f}")
        }.joined(separator: "\u{1e}")
    } catch let error as MinerQLError {
        let first = error.description.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        answer = "ERR\t\(error.kind.rawValue)\t\(escaped(first))"
    } catch {
        answer = "ERR\tother\t\(escaped("\(error)"))"
    }
    generation.add(1, ordering: .sequentiallyConsistent)
    FileHandle.standardOutput.write(Data((answer + "\n").utf8))
}
