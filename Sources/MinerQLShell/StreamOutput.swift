// Text to a C stream, byte for byte. fputs stops at the first NUL, which would
// silently drop the rest of a result holding one; a failed write (a full disk
// behind a redirected stdout) is remembered so the session exits 1.
import CLibEdit
import Glibc
import Synchronization

public enum StreamOutput {
    /// Whether any write to stdout or stderr has failed in this process.
    public static let failed = Atomic<Bool>(false)

    /// Writes all of `text` and flushes; false (and `failed` set) on an error.
    @discardableResult
    public static func write(_ text: String, to stream: UnsafeMutablePointer<FILE>) -> Bool {
        var bytes = Array(text.utf8)
        let written = fwrite(&bytes, 1, bytes.count, stream)
        let ok = written == bytes.count && fflush(stream) == 0
        if !ok { failed.store(true, ordering: .relaxed) }
        return ok
    }
}
