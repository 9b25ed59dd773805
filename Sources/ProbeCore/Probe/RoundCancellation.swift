internal import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request to stop the rounds in progress: a latch that code on any thread, or a signal, sets once.
///
/// Give it to a ``ProbeEngine`` as its ``ProbeEngine/cancellation``. The engine's round loop checks it
/// between polls (setting it also wakes a poll at once); when it is set, the engine stops the transfers in
/// flight and turns every probe not yet finished into a `cancelled` sample, so that a round still yields
/// exactly one sample per scheduled probe (<doc:RoundsAndBatches>). Once set it stays set: every later round
/// of the engine ends at once, all `cancelled`.
///
/// ```swift
/// let stop = RoundCancellation()
/// stop.stopOnSignals([SIGINT, SIGTERM])
/// engine.cancellation = stop
/// ```
public final class RoundCancellation: Sendable {
    /// 0 while running; the signal number, or -1 for ``cancel()``, once set by this instance's own call.
    private let reason = Atomic<Int32>(0)
    /// Whether this instance is the one ``stopOnSignals(_:)`` registered.
    private let watchesSignals = Atomic<Bool>(false)
    private let readEnd: Int32
    private let writeEnd: Int32

    /// Makes a cancellation that is not set. Its wake-up pipe is best effort: without one (no file
    /// descriptors left) the engine still sees the request, within its longest poll (1 s).
    public init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            }
        } else {
            ends = [-1, -1]
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        if watchesSignals.load(ordering: .sequentiallyConsistent) { StopSignals.forget(wakeDescriptor: writeEnd) }
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
    }

    /// Sets the request and wakes the engine's poll; safe from any thread, and calling it again does nothing.
    public func cancel() {
        if reason.compareExchange(expected: 0, desired: -1, ordering: .sequentiallyConsistent).exchanged {
            StopSignals.wake(writeEnd)
        }
    }

    /// True once ``cancel()`` was called or, after ``stopOnSignals(_:)``, one of its signals arrived.
    public var isCancelled: Bool { reason.load(ordering: .sequentiallyConsistent) != 0 || signal != nil }

    /// The signal that set the request, nil when none did (not set, or set by ``cancel()``).
    public var signal: Int32? {
        guard watchesSignals.load(ordering: .sequentiallyConsistent) else { return nil }
        return StopSignals.received
    }

    /// Makes the first of `signals` that the process receives set this request instead of ending the
    /// process; a second stop signal then ends the process at once, with the signal's default action.
    ///
    /// The handler only records the signal and writes one byte to the wake-up pipe (both async-signal-safe);
    /// it is installed with `SA_RESTART`, so other system calls carry on. Only one cancellation per process
    /// receives signals: the last one to call this.
    public func stopOnSignals(_ signals: [Int32]) {
        watchesSignals.store(true, ordering: .sequentiallyConsistent)
        StopSignals.install(signals, wakeDescriptor: writeEnd)
    }

    /// The read end of the wake-up pipe, readable once the request is set; nil when there is no pipe. Watch
    /// it (poll for input), never read it.
    package var wakeDescriptor: Int32? { readEnd >= 0 ? readEnd : nil }
}
