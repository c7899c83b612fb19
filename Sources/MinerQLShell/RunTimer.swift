// `.timer on`: wall, user and system time of a statement, printed exactly as the
// sqlite3 shell and the DuckDB CLI print it.
import Glibc

/// Measures one statement.
struct RunTimer {
    private let wall: Double
    private let user: Double
    private let system: Double

    init() {
        (wall, user, system) = RunTimer.now()
    }

    private static func now() -> (Double, Double, Double) {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
        return (Double(spec.tv_sec) + Double(spec.tv_nsec) / 1_000_000_000, seconds(usage.ru_utime), seconds(usage.ru_stime))
    }

    /// `Run Time (s): real 0.012 user 0.010 sys 0.001`
    func report() -> String {
        let (w, u, s) = RunTimer.now()
        return "Run Time (s): real \(RunTimer.format(w - wall)) user \(RunTimer.format(u - user)) sys \(RunTimer.format(s - system))"
    }

    static func format(_ seconds: Double) -> String {
        let millis = Int((max(0, seconds) * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
