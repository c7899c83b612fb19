// A LineReader that replays given input, for testing the shell loop without a
// terminal.
import MinerQLShell

final class ScriptedReader: LineReader {
    private var inputs: [LineInput]
    private(set) var prompts: [String] = []
    private(set) var history: [String] = []

    init(_ inputs: [LineInput]) { self.inputs = inputs }

    convenience init(lines: [String]) { self.init(lines.map(LineInput.line)) }

    func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    }

    func addHistory(_ entry: String) { history.append(entry) }
}
