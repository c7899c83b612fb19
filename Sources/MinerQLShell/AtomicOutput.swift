// Results sent to a file with `.output` or `.once`: written to a temporary
// file as they come (see AtomicFile), which takes the target's place when the
// redirect closes, so the file appears whole or not at all and a large result
// is never held in memory.
import MinerQL

/// A file that receives text and appears whole, or not at all.
final class AtomicOutput {
    let path: String
    private let file: AtomicFile
    /// The first failed write; commit reports it.
    private var failure: Error?

    init(path: String) throws {
        self.path = path
        file = try AtomicFile(path: path)
    }

    func append(_ more: String) {
        guard failure == nil else { return }
        do { try file.write(more) } catch { failure = error }
    }

    func commit() throws {
        if let failure { throw failure }
        try file.commit()
    }
}
