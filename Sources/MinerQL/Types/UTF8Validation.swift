// Checks bytes read from files are UTF-8 before they become strings: the
// engine keeps text as bytes (StringVector) and counts, compares and slices it
// as UTF-8, so nothing invalid may enter. ASCII runs are checked eight bytes
// at a time.

enum UTF8Validation {
    /// Whether the bytes are well-formed UTF-8 (no overlong forms, no
    /// surrogates, nothing above U+10FFFF).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            if i + 8 <= n && base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard i + length <= n, (low...high).contains(bytes[i + 1]) else { return false }
            for k in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[i + k]) { return false }
            i += length
        }
        return true
    }
}
