// Reading and writing whole files for the engine's readers and COPY, with the
// errors a user can act on. Writes are atomic: a temporary file beside the
// target, then a rename, so an interrupted write never replaces a good file;
// links, permissions and owners of the file written over are kept.
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

    /// Writes `text` to `path` atomically, flushed to disk before the rename,
    /// keeping what the user set up around the file:
    /// - a symbolic link is written through: its target gets the new text;
    /// - an existing file keeps its permission bits (and owner, where allowed);
    /// - a file with other hard links is rewritten in place, so every link
    ///   sees the new text (the one case that is not atomic);
    /// - the temporary beside it has a random name and is created with
    ///   O_EXCL | O_NOFOLLOW, so no planted file or link is written through.
    public static func writeAtomically(_ text: String, to path: String) throws {
        func failure(_ verb: String, _ target: String) -> MinerQLError {
            MinerQLError(.io, "\(verb) \"\(target)\": \(String(cString: strerror(errno)))")
        }
        var target = path
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(path, nil) else { throw failure("Cannot follow the symbolic link", path) }
            target = String(cString: resolved)
            free(resolved)
        }
        let exists = stat(target, &status) == 0
        if exists, status.st_mode & S_IFMT != S_IFREG {
            throw MinerQLError(.io, "Cannot write \"\(path)\": not a regular file")
        }
        var bytes = Array(text.utf8)
        if exists, status.st_nlink > 1 {
            let descriptor = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure("Cannot open file for writing", path) }
            guard writeAll(&bytes, to: descriptor), fsync(descriptor) == 0, close(descriptor) == 0 else {
                let error = failure("Could not write file", path)
                close(descriptor)
                throw error
            }
            return
        }
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var descriptor: Int32 = -1
        var temporary = ""
        // Announced before it exists, so a signal never leaves it behind; a
        // name that turns out taken is withdrawn before the next try.
        defer { announce(nil) }
        for _ in 0..<16 where descriptor < 0 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).minerql-\(suffix).tmp"
            announce(temporary)
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, exists ? 0o600 : 0o666)
            if descriptor < 0 {
                let reason = errno
                announce(nil)
                errno = reason
                if reason != EEXIST { break }
            }
        }
        guard descriptor >= 0 else { throw failure("Cannot open file for writing", path) }
        if exists {
            // The new file takes the old one's place: same permissions, and
            // the same owner where the process may set it.
            _ = fchown(descriptor, status.st_uid, status.st_gid)
            _ = fchmod(descriptor, status.st_mode & 0o7777)
        }
        guard writeAll(&bytes, to: descriptor), fsync(descriptor) == 0 else {
            let error = failure("Could not write file", path)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard close(descriptor) == 0, rename(temporary, target) == 0 else {
            let error = failure("Could not write file", path)
            unlink(temporary)
            throw error
        }
    }

    /// Writes every byte, retrying short writes; false on an error (errno set).
    private static func writeAll(_ bytes: inout [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                buffer.baseAddress.map { write(descriptor, $0 + offset, buffer.count - offset) } ?? 0
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
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
