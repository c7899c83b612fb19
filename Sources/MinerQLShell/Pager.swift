// `.pager on|off|auto`: long results go through a pager, as in psql. The
// command is $MINERQL_PAGER, else $PAGER, else `less -SRFX` (chop long lines,
// keep colours, quit at once if one screen, leave the text on screen). `auto`
// pages only what is taller or wider than the terminal.
import CLibEdit
import Foundation

public enum PagerMode: String, CaseIterable, Sendable {
    case on, off, auto
}

enum Pager {
    static let fallback = "less -SRFX"

    /// The pager command the environment asks for.
    static func command(environment: [String: String]) -> String {
        CommandSetting.first(of: ["MINERQL_PAGER", "PAGER"], in: environment) ?? fallback
    }

    /// Whether `text` should be paged on a terminal of `size` (nil: not a
    /// terminal, never paged).
    static func shouldPage(_ text: String, mode: PagerMode, terminal size: TerminalSize?) -> Bool {
        guard let size, !text.isEmpty else { return false }
        switch mode {
        case .off: return false
        case .on: return true
        case .auto:
            var pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
            if pieces.last?.isEmpty == true { pieces.removeLast() }
            var lines = 0
            for line in pieces {
                lines += 1
                // The prompt takes a row too; a line wider than the screen would wrap.
                if lines + 1 > size.rows || TerminalSize.visibleWidth(line) > size.columns { return true }
            }
            return false
        }
    }

    /// Writes `text` through `command` (run by /bin/sh) and waits for the
    /// pager to exit. Returns false if the pager could not be started.
    static func show(_ text: String, command: String) -> Bool {
        fflush(minerql_stdout())
        // Quitting the pager early closes the pipe: ignore SIGPIPE while writing.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        guard let pipe = popen(command, "w") else { return false }
        // A pager quitting early is no failed write: the result was shown.
        var bytes = Array(text.utf8)
        _ = fwrite(&bytes, 1, bytes.count, pipe)
        let status = pclose(pipe)
        // 127: the shell could not find the command.
        return status != -1 && !(status & 0x7F == 0 && (status >> 8) & 0xFF == 127)
    }
}
