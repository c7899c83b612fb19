// Thousands separators for numbers shown at the terminal (`.numbers on`, and
// the row counts under an elided table): 1695 → 1,695, -1234567.25 →
// -1,234,567.25. Scientific notation, inf and nan are left as they are.

enum DigitGrouping {
    /// `text` (a rendered integer or decimal) with its integer digits grouped
    /// by three.
    static func grouped(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        let sign = utf8.first == UInt8(ascii: "-") ? 1 : 0
        var end = sign
        while end < utf8.count, utf8[end] >= UInt8(ascii: "0"), utf8[end] <= UInt8(ascii: "9") { end += 1 }
        let digits = end - sign
        guard digits > 3, end == utf8.count || utf8[end] == UInt8(ascii: ".") else { return text }
        if end < utf8.count, utf8[(end + 1)...].contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) { return text }
        var out: [UInt8] = Array(utf8[..<sign])
        out.reserveCapacity(utf8.count + digits / 3)
        for (i, digit) in utf8[sign..<end].enumerated() {
            if i > 0 && (digits - i) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(digit)
        }
        out += utf8[end...]
        return String(decoding: out, as: UTF8.self)
    }

    static func grouped(_ number: Int) -> String { grouped(String(number)) }
}
