// The persistent history: one file, mode 0600, one entry per line with newlines
// and backslashes escaped so a multi-line statement stays one entry. Each entry
// is appended as soon as it is entered, so a crash loses nothing, with one
// locked write, so shells sharing the file do not mix their lines.
import Foundation

/// The history file of the interactive shell.
public final class HistoryFile {
    /// nil keeps the history in memory only (`--safe`).
    public let path: String?
    private(set) var entries: [String] = []

    /// `$MINERQL_HISTORY`, else `$XDG_STATE_HOME/minerql/history`, else
    /// `~/.local/state/minerql/history`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["MINERQL_HISTORY"], !explicit.isEmpty { return explicit }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/minerql/history" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/minerql/history"
    }

    public init(path: String?) {
        self.path = path
        if let path, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            entries = text.split(separator: "\n").map { HistoryFile.unescape(String($0)) }
        }
    }

    /// Appends an entry unless it repeats the previous one.
    public func append(_ entry: String) {
        guard !entry.isEmpty, entries.last != entry else { return }
        entries.append(entry)
        guard let path else { return }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        fchmod(fd, 0o600)
        // One write of a whole line, under a lock: shells sharing the file
        // interleave entries, never bytes.
        flock(fd, LOCK_EX)
        let line = Array((HistoryFile.escape(entry) + "\n").utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    static func escape(_ entry: String) -> String {
        var out = ""
        for c in entry {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func unescape(_ line: String) -> String {
        var out = ""
        var escaping = false
        for c in line {
            if escaping {
                out.append(c == "n" ? "\n" : c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
