// Parsing, binding, planning and expression evaluation recurse over the
// statement's tree. The main thread's stack (8 MiB, less in some hosts) would
// overflow on deeply nested SQL long before the parser's depth limit, so each
// statement runs on a thread of its own with a large stack. The caller waits,
// so the work stays sequential. Parallel parts of a statement (a scan and
// aggregate split by rows) get threads with the same stacks.
import Glibc

enum DeepStack {
    /// Stack for statement work: room for the parser's maximum nesting in an
    /// unoptimized build, reserved as virtual memory only.
    static let size = 512 << 20

    private final class Job {
        let body: () throws -> Any
        var result: Result<Any, Error>?
        init(_ body: @escaping () throws -> Any) { self.body = body }
    }

    /// Runs `body` on a thread with a large stack and returns its result.
    static func run<T>(_ body: @escaping () throws -> T) throws -> T {
        try parallel(1) { _ in try body() }[0]
    }

    /// The `part`-th of `parts` contiguous, near-equal shares of `0..<count`.
    static func share(_ part: Int, of count: Int, among parts: Int) -> Range<Int> {
        count * part / parts..<count * (part + 1) / parts
    }

    /// Runs `body(0)`, `body(1)`, … `body(count - 1)` at once, each on a thread
    /// with a large stack, and returns their results in order; throws the
    /// error of the first that failed.
    static func parallel<T>(_ count: Int, _ body: @escaping (Int) throws -> T) throws -> [T] {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, size)
        let jobs = (0..<count).map { index in Job { try body(index) } }
        var threads: [pthread_t?] = []
        for job in jobs {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(job).toOpaque()
            let created = pthread_create(&thread, &attributes, { pointer in
                guard let pointer else { return nil }
                let job = Unmanaged<Job>.fromOpaque(pointer).takeRetainedValue()
                job.result = Result { try job.body() }
                return nil
            }, context)
            if created == 0 {
                threads.append(thread)
            } else {
                // No thread: release the job and run it here instead.
                Unmanaged<Job>.fromOpaque(context).release()
                job.result = Result { try job.body() }
                threads.append(nil)
            }
        }
        for thread in threads { if let thread { pthread_join(thread, nil) } }
        return try jobs.map { job in
            switch job.result {
            case .success(let value)?:
                guard let typed = value as? T else { throw MinerQLError.internal("statement thread returned the wrong type") }
                return typed
            case .failure(let error)?: throw error
            case nil: throw MinerQLError.internal("statement thread ended without a result")
            }
        }
    }
}

/// An object handed to the threads of `DeepStack.parallel`, which only read
/// what they share of it (each works on its own input, states or rows).
struct ThreadShared<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A result buffer written by the threads of `DeepStack.parallel` at disjoint positions.
struct SharedBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
