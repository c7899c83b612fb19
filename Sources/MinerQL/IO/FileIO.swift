// Reading and writing whole files for the engine's readers and COPY, with the
// errors a user can act on. Writes go through AtomicFile: a temporary file
// beside the target, then a rename, so an interrupted write never replaces a
// good file.
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

    /// Writes `text` to `path` atomically (see AtomicFile).
    public static func writeAtomically(_ text: String, to path: String) throws {
        let file = try AtomicFile(path: path)
        try file.write(text)
        try file.commit()
    }

    /// Writes every byte, retrying short writes; false on an error (errno set).
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// The temporary files being written, as C strings a signal handler can
    /// read without allocating (an empty string marks a free slot): a
    /// `.output` file can be open while a COPY writes another. Written only by
    /// the statement thread.
    nonisolated(unsafe) private static let inProgress: [UnsafeMutablePointer<CChar>] = (0..<4).map { _ in
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
        buffer.initialize(repeating: 0, count: Int(PATH_MAX) + 1)
        return buffer
    }

    /// Records a temporary file for the signal handler; the slot it took, or
    /// nil when all are taken (the file is then not removed on a signal).
    static func announce(_ temporary: String) -> Int? {
        guard let slot = inProgress.firstIndex(where: { $0[0] == 0 }) else { return nil }
        let buffer = inProgress[slot]
        let bytes = Array(temporary.utf8.prefix(Int(PATH_MAX)))
        for (i, byte) in bytes.enumerated().dropFirst() { buffer[i] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
        // The first byte last: the handler sees a whole name or none.
        buffer[0] = bytes.first.map { CChar(bitPattern: $0) } ?? 0
        return slot
    }

    static func withdraw(_ slot: Int?) {
        if let slot { inProgress[slot][0] = 0 }
    }

    /// Sets up what `removeTemporaryInProgress` reads; call before installing
    /// the signal handler that calls it.
    public static func prepareForSignals() { _ = inProgress }

    /// Removes the temporary files of writes in progress. Async-signal-safe
    /// once `prepareForSignals` has run.
    public static func removeTemporaryInProgress() {
        for buffer in inProgress where buffer[0] != 0 { unlink(buffer) }
    }
}
