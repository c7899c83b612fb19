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

    public init(historyFile: HistoryFile, completer: Completer) {
        setlocale(LC_CTYPE, "")
        self.historyFile = historyFile
        self.completer = completer
        editLine = el_init(CommandLine.arguments.first ?? "minerql", minerql_stdin(), minerql_stdout(), minerql_stderr())
        history = history_init()
        minerql_history_setsize(history, 10_000)
        minerql_history_setunique(history, 1)
        for entry in historyFile.entries { minerql_history_enter(history, entry) }
        minerql_el_set_editor(editLine, "emacs")
        minerql_el_set_signal(editLine, 1)
        minerql_el_set_history(editLine, history)
        minerql_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        minerql_el_set_prompt(editLine) { el in
            guard let el, let data = minerql_el_get_clientdata(el) else { return nil }
            return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }
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

    public func readLine(prompt: String) -> LineInput {
        free(promptBuffer)
        promptBuffer = strdup(prompt)
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
    /// after their common prefix is inserted.
    private func complete(_ el: OpaquePointer) -> UInt8 {
        guard let info = el_line(el)?.pointee, let start = info.buffer, let cursor = info.cursor else { return UInt8(CC_ERROR) }
        let length = cursor - start
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(start).assumingMemoryBound(to: UInt8.self), count: length)
        let before = String(decoding: bytes, as: UTF8.self)
        let word = Completer.currentWord(before)
        let candidates = completer.candidates(for: word)
        guard !candidates.isEmpty else { return UInt8(CC_ERROR) }
        if candidates.count == 1 {
            let suffix = String(candidates[0].dropFirst(word.count)) + " "
            el_insertstr(el, suffix)
            return UInt8(CC_REFRESH)
        }
        let prefix = Completer.commonPrefix(candidates.map { $0.lowercased() })
        if prefix.count > word.count {
            let suffix = String(candidates[0].prefix(prefix.count).dropFirst(word.count))
            el_insertstr(el, suffix)
        }
        let width = (candidates.map(\.count).max() ?? 0) + 2
        let perLine = max(1, 80 / width)
        var listing = "\n"
        for (i, candidate) in candidates.enumerated() {
            listing += candidate.padding(width)
            if (i + 1) % perLine == 0 || i == candidates.count - 1 { listing += "\n" }
        }
        fputs(listing, minerql_stdout())
        return UInt8(CC_REDISPLAY)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
