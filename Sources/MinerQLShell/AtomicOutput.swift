// Results sent to a file with `.output` or `.once`: collected, then written
// atomically when the redirect closes (see FileIO.writeAtomically).
import MinerQL

/// A file that receives text and appears whole, or not at all.
final class AtomicOutput {
    let path: String
    private var text = ""

    init(path: String) { self.path = path }

    func append(_ more: String) { text += more }

    func commit() throws { try FileIO.writeAtomically(text, to: path) }
}
