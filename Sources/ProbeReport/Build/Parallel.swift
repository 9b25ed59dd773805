internal import Dispatch
internal import Glibc
internal import Synchronization

/// The little concurrency the report needs: run N workers, map over items on every core.
package enum Parallel {
    /// Online processors.
    package static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `$TMPDIR`, else `/tmp`.
    package static var temporaryFolder: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
        return "/tmp"
    }

    /// Runs `body(0..<count)` at the same time, one call per thread; the first error thrown wins.
    package static func run(_ count: Int, _ body: @Sendable (Int) throws(ReportError) -> Void) throws(ReportError) {
        let failure = Mutex<ReportError?>(nil)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            do throws(ReportError) {
                try body(index)
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// `items.map(transform)` on every core, results in order.
    package static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], threads: Int, _ transform: @Sendable (Item) throws(ReportError) -> Result
    ) throws(ReportError) -> [Result] {
        let results = Mutex<[Result?]>(Array(repeating: nil, count: items.count))
        let next = Atomic<Int>(0)
        try run(min(threads, max(items.count, 1))) { _ throws(ReportError) in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < items.count else { return }
                let result = try transform(items[index])
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
