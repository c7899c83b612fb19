// A progress bar on stderr for statements that run longer than about a second,
// drawn only when stderr is a terminal and erased before results are printed.
import CLibEdit
import Foundation
import MinerQL

/// Draws the progress of the running statement from a background thread.
final class ProgressBar: @unchecked Sendable {
    private let progress: QueryProgress
    private let lock = NSLock()
    private var running = false
    private var drawn = false
    private var thread: Thread?

    init(progress: QueryProgress) { self.progress = progress }

    /// The bar for a fraction: `[=========>          ]  42%`.
    static func line(fraction: Double?, width: Int = 40) -> String {
        guard let fraction else { return "[" + String(repeating: " ", count: width) + "]    …" }
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "=", count: max(0, filled - 1)) + (filled > 0 ? ">" : "")
        let percent = String(Int((fraction * 100).rounded(.down)))
        return "[" + bar.padding(width) + "] " + String(repeating: " ", count: 3 - percent.count) + percent + "%"
    }

    /// Starts watching; draws only after `delay` seconds.
    func start(delay: TimeInterval = 1.0) {
        lock.lock()
        running = true
        lock.unlock()
        let thread = Thread { [self] in
            Thread.sleep(forTimeInterval: delay)
            while true {
                lock.lock()
                guard running else { lock.unlock(); return }
                // Known work can run out before the statement ends (a join's inner
                // loop), so a running statement never shows 100%.
                fputs("\r" + ProgressBar.line(fraction: progress.fraction.map { min($0, 0.99) }), minerql_stderr())
                fflush(minerql_stderr())
                drawn = true
                lock.unlock()
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        self.thread = thread
        thread.start()
    }

    /// Stops drawing and erases the bar.
    func stop() {
        lock.lock()
        running = false
        if drawn {
            fputs("\r\u{1B}[2K", minerql_stderr())
            fflush(minerql_stderr())
            drawn = false
        }
        lock.unlock()
    }
}
