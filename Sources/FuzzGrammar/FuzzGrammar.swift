// libFuzzer target: the input is the generator's choices, so every input is a
// statement the grammar allows (up to three per input) and mutations change
// its structure rather than break its syntax.
import FuzzSupport
import QueryGenerator

@main
enum FuzzGrammar {
    static func main() {
        FuzzDriver.run { data, size in
            let bytes = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
            var generator = QueryGenerator(tables: FuzzSession.tables, choices: ByteChoices(bytes))
            let statements = (0...generator.choices.choose(below: 3)).map { _ in generator.statement() }
            FuzzSession.run(statements.joined(separator: ";\n"))
            return 0
        }
    }
}
