// Reading and writing whole files for the engine's readers and COPY, with the
// errors a user can act on. Writes are atomic: a temporary file beside the
// target, then a rename, so an interrupted write never replaces a good file.
import Glibc

public enum FileIO {
    /// The bytes of a file.
    public static func read(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw MinerQLError(.io, "No files found that match the pattern \"\(path)\"")
        }
        defer { fclose(file) }
        // A regular file is read into one allocation of its size; anything
        // else (a pipe, a device) grows a megabyte at a time.
        var status = stat()
        var bytes: [UInt8] = []
        if fstat(fileno(file), &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 {
            bytes.reserveCapacity(Int(status.st_size) + 1)
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count {
                if ferror(file) != 0 { throw MinerQLError(.io, "Could not read file \"\(path)\": \(String(cString: strerror(errno)))") }
                break
            }
        }
        return bytes
    }

    /// Writes `text` to `path` atomically, flushed to disk before the rename.
    public static func writeAtomically(_ text: String, to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).minerql-\(getpid()).tmp"
        announce(temporary)
        defer { announce(nil) }
        guard let file = fopen(temporary, "wb") else {
            throw MinerQLError(.io, "Cannot open file \"\(path)\" for writing: \(String(cString: strerror(errno)))")
        }
        var bytes = Array(text.utf8)
        let written = fwrite(&bytes, 1, bytes.count, file)
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        let closed = fclose(file)
        guard written == bytes.count, flushed, closed == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw MinerQLError(.io, "Could not write file \"\(path)\": \(reason)")
        }
    }

    /// The temporary file being written, as a C string a signal handler can
    /// read without allocating; an empty string when there is none. Written
    /// only by the statement thread (one write at a time).
    nonisolated(unsafe) private static let inProgress: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
        buffer.initialize(repeating: 0, count: Int(PATH_MAX) + 1)
        return buffer
    }()

    private static func announce(_ temporary: String?) {
        inProgress[0] = 0
        guard let temporary else { return }
        let bytes = Array(temporary.utf8.prefix(Int(PATH_MAX)))
        for (i, byte) in bytes.enumerated().dropFirst() { inProgress[i] = CChar(bitPattern: byte) }
        inProgress[bytes.count] = 0
        inProgress[0] = bytes.first.map { CChar(bitPattern: $0) } ?? 0
    }

    /// Sets up what `removeTemporaryInProgress` reads; call before installing
    /// the signal handler that calls it.
    public static func prepareForSignals() { _ = inProgress }

    /// Removes the temporary file of a write in progress. Async-signal-safe
    /// once `prepareForSignals` has run.
    public static func removeTemporaryInProgress() {
        if inProgress[0] != 0 { unlink(inProgress) }
    }
}
