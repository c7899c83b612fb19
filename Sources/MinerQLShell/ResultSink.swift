// Where a query's rows go as the engine produces them (Database.execute with
// a consumer). To a file or a pipe, the export formats (csv, tsv, json, jsonl,
// markdown) are written chunk by chunk, so a 30-million-row result holds one
// chunk at a time. Everything else needs every row it shows before the first
// line (column widths, the pager): the box with `.maxrows` keeps the rows it
// shows, its first and last ones, and counts the rest; the other modes, and
// any mode at the terminal, keep all. Up to the shell's `lastResultRows` are kept
// for `.last` and `.chart` when the result itself is not.
import MinerQL

final class ResultSink: ResultConsumer {
    private unowned let shell: Shell
    /// Writes rows as they come (nil: the result is collected and rendered).
    private let writer: ResultWriter?
    private let settings: RenderSettings
    /// Whether the result is shown as a box of its first and last rows, so
    /// that a long one need not be kept whole.
    private let elides: Bool
    private(set) var began = false
    private var names: [String] = []
    private var types: [DataType] = []
    private var total = 0
    /// Every chunk, while the result is no longer than the limit.
    private var whole: [DataChunk]? = []
    /// The box's first rows and its last ones (a window that slides), for a
    /// result too long to keep.
    private var head: [DataChunk] = []
    private var tail: [DataChunk] = []
    private var tailRows = 0

    init(shell: Shell, writer: ResultWriter?, settings: RenderSettings, elides: Bool) {
        self.shell = shell
        self.writer = writer
        self.settings = settings
        self.elides = elides
    }

    func begin(names: [String], types: [DataType]) throws {
        began = true
        self.names = names
        self.types = types
        if let writer { shell.emit(writer.prologue(names: names, types: types)) }
    }

    func consume(_ chunk: DataChunk) throws {
        if let writer {
            var text = ""
            writer.write(chunk, names: names, after: total, into: &text)
            shell.emit(text)
        }
        total += chunk.count
        // Kept whole when it is shown whole, else while .last may have it.
        if whole != nil, (writer == nil && !elides) || total <= shell.lastResultRows {
            whole?.append(chunk)
        } else {
            whole = nil
        }
        guard elides else { return }
        // What the box shows of a long result: (maxRows + 1) / 2 first rows
        // and maxRows / 2 last ones.
        let headRows = (settings.maxRows + 1) / 2, lastRows = settings.maxRows / 2
        let kept = head.reduce(0) { $0 + $1.count }
        if kept < headRows { head.append(chunk.gathered(Array(0..<min(chunk.count, headRows - kept)))) }
        tail.append(chunk)
        tailRows += chunk.count
        while let first = tail.first, tailRows - first.count >= lastRows {
            tail.removeFirst()
            tailRows -= first.count
        }
    }

    /// After the last row: the export format's closing text, or the rendered
    /// result; the result becomes the shell's last one if it was kept.
    func finish() {
        let kept = whole.map { QueryResult(names: names, types: types, chunks: $0) }
        shell.lastResult = kept
        shell.lastResultOmittedRows = kept == nil ? total : 0
        if let writer {
            shell.emit(writer.epilogue(rows: total))
            return
        }
        if let kept {
            shell.show(kept)
            return
        }
        // Too long to keep: the box's first and last rows and the full count.
        let lastRows = settings.maxRows / 2
        var chunks = head
        var skip = tailRows - lastRows
        for chunk in tail {
            let rows = Array(max(0, skip)..<chunk.count)
            skip -= chunk.count
            if !rows.isEmpty { chunks.append(chunk.gathered(rows)) }
        }
        shell.show(QueryResult(names: names, types: types, chunks: chunks), totalRows: total)
    }
}
