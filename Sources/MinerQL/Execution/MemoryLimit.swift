// `SET memory_limit`: a statement that makes the process hold more memory than
// the limit stops with an Out of Memory Error instead of driving the machine
// into swap or the kernel's OOM killer. The measure is the process's resident
// memory, read from /proc at the statements' cancellation checkpoints (once per
// chunk), so the whole session — tables included — counts, as in DuckDB.
import Glibc
import Synchronization

public enum MemoryLimit {
    /// The limit of the statement running last, for checks that have no
    /// session at hand (a function about to build one large string). The
    /// process's memory is one, so one limit serves.
    static let current = Atomic<Int>(defaultBytes)

    /// DuckDB's default: 80% of physical memory.
    public static let defaultBytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return Int.max }
        return pages.multipliedReportingOverflow(by: pageSize).partialValue / 10 * 8
    }()

    /// Throws when the process holds more than `limit` bytes. Memory freed by
    /// earlier statements but still cached by malloc is handed back first, so
    /// only what is live counts.
    static func check(limit: Int) throws {
        guard limit < Int.max, var resident = residentBytes(), resident > limit else { return }
        _ = trimMalloc?(0)
        resident = residentBytes() ?? resident
        guard resident > limit else { return }
        throw MinerQLError(.outOfMemory, """
            could not allocate more memory (\(format(resident))/\(format(limit)) used)

            Possible solutions:
            * Increasing the memory limit (SET memory_limit='...GB')
            * Keeping fewer rows or columns in sorts, joins, aggregates and windows
            """)
    }

    /// Throws unless `bytes` more fit under the current limit: for a single
    /// allocation too large to wait for the next checkpoint.
    static func checkRoom(for bytes: Int) throws {
        let limit = current.load(ordering: .relaxed)
        guard limit < Int.max, let resident = residentBytes() else { return }
        let (total, overflow) = resident.addingReportingOverflow(bytes)
        guard overflow || total > limit else { return }
        throw MinerQLError(.outOfMemory, "could not allocate \(format(bytes)) (\(format(resident))/\(format(limit)) used)")
    }

    /// The second field of /proc/self/statm (resident pages), in bytes.
    static func residentBytes() -> Int? {
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { bytes -> Int in
            guard statm >= 0 else { return -1 }
            return pread(statm, bytes.baseAddress, bytes.count, 0)
        }
        guard count > 0 else { return nil }
        let fields = buffer[0..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return pages * pageSize
    }

    /// glibc's `malloc_trim`, which the Glibc module does not declare.
    private static let trimMalloc: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    private static let statm: Int32 = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    private static let pageSize = max(1, sysconf(Int32(_SC_PAGESIZE)))

    /// Parses DuckDB's size strings: a number and a unit, `'4GB'`, `'512 MiB'`,
    /// `'1.5gb'`; decimal units are powers of 1000, binary ones of 1024. A
    /// negative size, `'-1'` or `'none'` lifts the limit.
    static func parse(_ text: String) throws -> Int {
        let trimmed = text.trimmingSpaces().lowercased()
        if trimmed == "none" || trimmed == "-1" { return Int.max }
        let numberEnd = trimmed.firstIndex { !($0.isNumber || $0 == "." || $0 == "e" || $0 == "-" || $0 == "+") } ?? trimmed.endIndex
        guard let number = Double(trimmed[..<numberEnd]) else {
            throw MinerQLError(.parser, "Memory must have a number (e.g. 1GB)")
        }
        let unitText = String(trimmed[numberEnd...]).trimmingSpaces()
        guard let unit = units[unitText] else {
            throw MinerQLError(.parser, "Unknown unit for memory: '\(unitText)' (expected: KB, MB, GB, TB for 1000^i units or KiB, MiB, GiB, TiB for 1024^i units)")
        }
        let bytes = number * unit
        return bytes < 0 || bytes >= Double(Int.max) ? Int.max : Int(bytes)
    }

    private static let units: [String: Double] = {
        var units: [String: Double] = ["b": 1, "byte": 1, "bytes": 1]
        for (power, prefix) in ["k", "m", "g", "t"].enumerated() {
            let name = ["kilo", "mega", "giga", "tera"][power]
            let decimal = pow(1000, Double(power + 1)), binary = pow(1024, Double(power + 1))
            for spelling in [prefix, prefix + "b", name + "byte", name + "bytes"] { units[spelling] = decimal }
            units[prefix + "ib"] = binary
        }
        return units
    }()

    /// `104857600` → `100.0 MiB`.
    public static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == 0 { return "\(bytes) bytes" }
        return String(Int((value * 10).rounded()) / 10) + "." + String(Int((value * 10).rounded()) % 10) + " " + units[unit]
    }
}
