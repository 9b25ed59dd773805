#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the probe engine's blocking loop on a thread of its own, off Swift's cooperative pool (which has one
/// thread per core and must not be held by a loop that waits in `poll`).
enum EngineThread {
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread and returns when it has finished.
    static func run(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let work = Work {
                body()
                continuation.resume()
            }
            var thread = pthread_t()
            let retained = Unmanaged.passRetained(work)
            let started = pthread_create(
                &thread, nil,
                { raw in
                    guard let raw else { return nil }
                    Unmanaged<Work>.fromOpaque(raw).takeRetainedValue().body()
                    return nil
                }, retained.toOpaque())
            if started == 0 {
                pthread_detach(thread)
            } else {
                // No thread to be had: run it here rather than not at all.
                retained.release()
                work.body()
            }
        }
    }
}
