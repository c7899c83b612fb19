// Line editing with libedit's native API: emacs keys, Ctrl-R reverse search,
// history recall (a multi-line statement is one entry), Tab completion, and
// Ctrl-C/Ctrl-D told apart through el_gets' count and errno.
import CLibEdit
import Glibc

/// Reads lines from a terminal through libedit.
public final class EditLineReader: LineReader {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: HistoryFile
    private let completer: Completer
    /// The current prompt as a C string that stays valid while el_gets runs.
    private var promptBuffer: UnsafeMutablePointer<CChar>?

    /// Colours the prompt.
    private let palette: Palette

    public init(historyFile: HistoryFile, completer: Completer, palette: Palette = .plain) {
        setlocale(LC_CTYPE, "")
        self.historyFile = historyFile
        self.completer = completer
        self.palette = palette
        editLine = el_init(CommandLine.arguments.first ?? "minerql", minerql_stdin(), minerql_stdout(), minerql_stderr())
        history = history_init()
        minerql_history_setsize(history, 10_000)
        minerql_history_setunique(history, 1)
        for entry in historyFile.entries { minerql_history_enter(history, entry) }
        minerql_el_set_editor(editLine, "emacs")
        minerql_el_set_signal(editLine, 1)
        minerql_el_set_history(editLine, history)
        minerql_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        minerql_el_set_prompt_esc(editLine, { el in
            guard let el, let data = minerql_el_get_clientdata(el) else { return nil }
            return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }, EditLineReader.promptEscape)
        minerql_el_add_function(editLine, "minerql-complete", "Complete the word before the cursor") { el, _ in
            guard let el, let data = minerql_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue().complete(el)
        }
        minerql_el_bind(editLine, "^I", "minerql-complete")
        minerql_el_bind(editLine, "^R", "em-inc-search-prev")
        minerql_el_source_default(editLine)
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(promptBuffer)
    }

    /// Marks the start and end of a colour sequence in the prompt.
    private static let promptEscape = CChar(1)

    public func readLine(prompt: String) -> LineInput {
        free(promptBuffer)
        let body = prompt.trimmingWhitespace()
        let painted = palette.paint(body, .prompt, marking: "\u{1}")
        promptBuffer = strdup(prompt.replacingOccurrences(of: body, with: painted))
        var count: Int32 = 0
        errno = 0
        guard let line = el_gets(editLine, &count) else {
            if count == -1 && errno == EINTR {
                return .interrupted
            }
            return .endOfInput
        }
        if count == -1 { return .interrupted }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    public func addHistory(_ entry: String) {
        minerql_history_enter(history, entry)
        historyFile.append(entry)
    }

    /// Tab: one candidate is completed in place; several are listed in columns
    /// after their common prefix is inserted. A Tab that arrives with more
    /// input already waiting is part of a paste and is inserted as it is.
    private func complete(_ el: OpaquePointer) -> UInt8 {
        if minerql_pending_input(0) > 0 {
            el_insertstr(el, "\t")
            return UInt8(CC_REFRESH)
        }
        guard let info = el_line(el)?.pointee, let start = info.buffer, let cursor = info.cursor, let end = info.lastchar else {
            return UInt8(CC_ERROR)
        }
        func text(_ from: UnsafePointer<CChar>, _ count: Int) -> String {
            String(decoding: UnsafeBufferPointer(start: UnsafeRawPointer(from).assumingMemoryBound(to: UInt8.self), count: count), as: UTF8.self)
        }
        let completion = completer.complete(before: text(start, cursor - start), after: text(cursor, end - cursor))
        let candidates = completion.candidates
        guard let first = candidates.first else { return UInt8(CC_ERROR) }
        let word = completion.word
        if candidates.count == 1 {
            replace(word, with: first.text + first.suffix, in: el)
            return UInt8(CC_REFRESH)
        }
        let prefix = Completer.commonPrefix(candidates.map(\.text))
        if prefix.count > word.count { replace(word, with: prefix, in: el) }
        fputs(EditLineReader.listing(candidates.map(\.text), width: TerminalSize.of(1)?.columns ?? 80), minerql_stdout())
        return UInt8(CC_REDISPLAY)
    }

    /// Replaces the word before the cursor (its case may differ from the candidate's).
    private func replace(_ word: String, with text: String, in el: OpaquePointer) {
        if text.hasPrefix(word) {
            el_insertstr(el, String(text.dropFirst(word.count)))
        } else {
            el_deletestr(el, Int32(word.count))
            el_insertstr(el, text)
        }
    }

    /// Candidates in columns across the terminal, at most 200 of them.
    static func listing(_ candidates: [String], width: Int) -> String {
        let shown = candidates.prefix(200)
        let column = (shown.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / column)
        var out = "\n"
        for (i, candidate) in shown.enumerated() {
            out += (i + 1) % perLine == 0 || i == shown.count - 1 ? candidate : candidate.padding(column)
            if (i + 1) % perLine == 0 || i == shown.count - 1 { out += "\n" }
        }
        if candidates.count > shown.count { out += "… and \(candidates.count - shown.count) more\n" }
        return out
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
