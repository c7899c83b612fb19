// Where a reader's bytes come from: a regular file is read a window at a time
// at any offset (pread), so a big CSV file is never held whole in memory next
// to the columns parsed from it; anything else (text, a pipe) is held whole.
import Glibc

/// Bytes that can be read from any offset.
protocol ByteSource: Sendable {
    /// How many bytes there are.
    var count: Int { get }
    /// Copies up to `buffer.count` bytes from `offset` into `buffer`; returns
    /// how many (fewer only at the end).
    func read(at offset: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int
}

extension ByteSource {
    /// Bytes `range` (clamped to the end).
    func bytes(_ range: Range<Int>) throws -> [UInt8] {
        let count = max(0, min(range.upperBound, self.count) - range.lowerBound)
        guard count > 0 else { return [] }
        var n = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            n = try read(at: range.lowerBound, into: buffer)
            initialized = n
        }
        return bytes
    }
}

/// Bytes in memory.
struct MemoryBytes: ByteSource {
    let storage: [UInt8]

    var count: Int { storage.count }

    func read(at offset: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        let n = max(0, min(buffer.count, storage.count - offset))
        guard n > 0 else { return 0 }
        _ = buffer.update(fromContentsOf: storage[offset..<offset + n])
        return n
    }
}

/// A regular file, open for reading at offsets.
final class FileBytes: ByteSource {
    private let descriptor: Int32
    private let path: String
    let count: Int

    /// The file at `path` if it is a regular file; nil for pipes, devices and
    /// directories (read those whole with FileIO.read).
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.path = path
        self.count = Int(status.st_size)
    }

    deinit { close(descriptor) }

    func read(at offset: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var total = 0
        while total < buffer.count {
            let n = pread(descriptor, base + total, buffer.count - total, off_t(offset + total))
            if n < 0 {
                if errno == EINTR { continue }
                throw MinerQLError(.io, "Could not read file \"\(path)\": \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            total += n
        }
        return total
    }
}
