// Colour at the terminal: ANSI SGR sequences around headers, NULLs, numbers,
// errors, the prompt and chart series. A disabled palette returns text
// unchanged, so renderers call it unconditionally. Colour is on only when the
// output is a terminal, NO_COLOR is unset or empty and --no-color was not given
// (https://no-color.org).
import Foundation

public struct Palette: Sendable, Equatable {
    public enum Role: Sendable {
        case border, header, type, null, number, error, prompt, footer
        /// The colour of a chart's series, by its index.
        case series(Int)
    }

    public let enabled: Bool

    public static let plain = Palette(enabled: false)
    public static let ansi = Palette(enabled: true)

    /// Whether a stream (1 = stdout, 2 = stderr) should be coloured, given the
    /// environment and the `--no-color` flag.
    public static func forStream(_ descriptor: Int32, noColorFlag: Bool,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> Palette {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Palette(enabled: !noColorFlag && !noColor && isatty(descriptor) != 0)
    }

    /// The SGR parameters of a role.
    private static func code(_ role: Role) -> String {
        switch role {
        case .border, .type, .footer: return "90"
        case .header: return "1"
        case .null: return "2"
        case .number: return "36"
        case .error: return "1;31"
        case .prompt: return "1;32"
        case .series(let index): return seriesCodes[index % seriesCodes.count]
        }
    }

    /// Blue, orange-ish yellow, green, magenta, cyan, red: apart at a glance.
    private static let seriesCodes = ["34", "33", "32", "35", "36", "31"]

    /// `text` wrapped in the role's colour, or unchanged when disabled;
    /// each sequence between two `marker`s if given (libedit's prompt needs
    /// its non-printing parts marked).
    public func paint(_ text: String, _ role: Role, marking marker: String = "") -> String {
        guard enabled, !text.isEmpty else { return text }
        return marker + "\u{1B}[" + Palette.code(role) + "m" + marker + text + marker + "\u{1B}[0m" + marker
    }
}
