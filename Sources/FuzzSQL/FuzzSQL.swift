// libFuzzer target: the input is SQL text (any bytes; invalid UTF-8 is
// repaired as the shell would). Seeds are the statements of Tests/sql.
import FuzzSupport

@main
enum FuzzSQL {
    static func main() {
        FuzzDriver.run { data, size in
            let bytes = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
            FuzzSession.run(String(decoding: bytes, as: UTF8.self))
            return 0
        }
    }
}
