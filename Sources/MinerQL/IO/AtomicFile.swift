// A file written as a whole or not at all: text is appended to a temporary
// file beside the target as it is produced (so a result of millions of rows
// is never held in memory), and commit() flushes it to disk and renames it
// over the target. What the user set up around the target is kept:
// - a symbolic link is written through: its target gets the new text;
// - an existing file keeps its permission bits (and owner, where allowed);
// - a file with other hard links is rewritten in place at commit, so every
//   link sees the new text (the one case in which a crash mid-commit can
//   leave it half written);
// - the temporary has a random name and is created with O_EXCL | O_NOFOLLOW,
//   so no planted file or link is written through; a signal handler removes
//   it (FileIO.removeTemporaryInProgress), and so does discard() or deinit.
import Glibc

public final class AtomicFile {
    /// The path as the user gave it, for messages.
    public let path: String
    /// Where the text ends up: `path` with a symbolic link resolved.
    private let target: String
    private let temporary: String
    private var descriptor: Int32
    private let slot: Int?
    /// Whether the temporary file is still there (not yet renamed or removed).
    private var pending = true
    /// The replaced file's status, if there was one.
    private let existing: stat?

    public init(path: String) throws {
        self.path = path
        var target = path
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(path, nil) else { throw AtomicFile.failure("Cannot follow the symbolic link", path) }
            target = String(cString: resolved)
            free(resolved)
        }
        let exists = stat(target, &status) == 0
        if exists, status.st_mode & S_IFMT != S_IFREG {
            throw MinerQLError(.io, "Cannot write \"\(path)\": not a regular file")
        }
        self.target = target
        existing = exists ? status : nil
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var descriptor: Int32 = -1
        var temporary = ""
        var slot: Int?
        for _ in 0..<16 where descriptor < 0 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).minerql-\(suffix).tmp"
            // Announced before it exists, so a signal never leaves it behind;
            // a name that turns out taken is withdrawn before the next try.
            slot = FileIO.announce(temporary)
            descriptor = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, exists ? 0o600 : 0o666)
            if descriptor < 0 {
                let reason = errno
                FileIO.withdraw(slot)
                errno = reason
                if reason != EEXIST { break }
            }
        }
        guard descriptor >= 0 else { throw AtomicFile.failure("Cannot open file for writing", path) }
        self.descriptor = descriptor
        self.temporary = temporary
        self.slot = slot
        if exists {
            // The new file takes the old one's place: same permissions, and
            // the same owner where the process may set it.
            _ = fchown(descriptor, status.st_uid, status.st_gid)
            _ = fchmod(descriptor, status.st_mode & 0o7777)
        }
    }

    deinit { discard() }

    private static func failure(_ verb: String, _ path: String) -> MinerQLError {
        MinerQLError(.io, "\(verb) \"\(path)\": \(String(cString: strerror(errno)))")
    }

    /// Appends text; on a failure the file is discarded.
    public func write(_ text: String) throws {
        guard descriptor >= 0 else { throw MinerQLError(.io, "Could not write file \"\(path)\": already closed") }
        var text = text
        let written = text.withUTF8 { FileIO.writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
        guard written else {
            let error = AtomicFile.failure("Could not write file", path)
            discard()
            throw error
        }
    }

    /// Flushes the text to disk and puts it in the target's place.
    public func commit() throws {
        guard descriptor >= 0 else { throw MinerQLError(.io, "Could not write file \"\(path)\": already closed") }
        guard fsync(descriptor) == 0 else {
            let error = AtomicFile.failure("Could not write file", path)
            discard()
            throw error
        }
        if let existing, existing.st_nlink > 1 {
            try copyInPlace()
            discard()
            return
        }
        let closed = close(descriptor) == 0
        descriptor = -1
        guard closed, rename(temporary, target) == 0 else {
            let error = AtomicFile.failure("Could not write file", path)
            discard()
            throw error
        }
        pending = false
        FileIO.withdraw(slot)
    }

    /// Copies the temporary file's bytes over a hard-linked target.
    private func copyInPlace() throws {
        let out = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard out >= 0 else { throw AtomicFile.failure("Cannot open file for writing", path) }
        defer { close(out) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: off_t = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw AtomicFile.failure("Could not write file", path) }
            if n == 0 { break }
            let copied = buffer.withUnsafeBytes { FileIO.writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<n]), to: out) }
            guard copied else { throw AtomicFile.failure("Could not write file", path) }
            offset += off_t(n)
        }
        guard fsync(out) == 0 else { throw AtomicFile.failure("Could not write file", path) }
    }

    /// Removes the temporary file; the target is untouched.
    public func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        if pending {
            unlink(temporary)
            pending = false
            FileIO.withdraw(slot)
        }
    }
}
