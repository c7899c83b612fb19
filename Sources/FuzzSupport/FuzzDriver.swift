// The fuzz targets' main(): hands the command line to libFuzzer's driver
// (LLVMFuzzerRunDriver), which calls the target's function for each input.
// SwiftPM names an executable's entry point itself, so libFuzzer's own main()
// cannot be used.
import Glibc

/// One input in, 0 out (libFuzzer's LLVMFuzzerTestOneInput contract).
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<Int32>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ target: FuzzTarget) -> Int32

public enum FuzzDriver {
    /// Runs libFuzzer with this process's arguments and exits with its status.
    public static func run(_ target: FuzzTarget) -> Never {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv, target))
    }
}
