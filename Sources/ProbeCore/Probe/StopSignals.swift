internal import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The first stop signal received, 0 before any; set only by the handler.
private let receivedSignal = Atomic<Int32>(0)
/// The write end of the wake-up pipe of the cancellation that receives signals, -1 for none.
private let signalWakeDescriptor = Atomic<Int32>(-1)

/// The process-wide signal side of ``RoundCancellation``: the `sigaction` handler and what it records.
///
/// Everything the handler touches is a global atomic, initialised before the handler is installed, so the
/// handler calls nothing but atomic operations, `write(2)`, `signal(2)` and `raise(3)`.
enum StopSignals {
    /// The first stop signal the process received, nil before any.
    static var received: Int32? {
        let signal = receivedSignal.load(ordering: .sequentiallyConsistent)
        return signal == 0 ? nil : signal
    }

    /// Installs the handler for `signals`; the first of them to arrive is recorded and wakes
    /// `wakeDescriptor` (a pipe's write end, -1 for none). A signal the process was started with ignored
    /// (a background job of a shell script ignores SIGINT) stays ignored; a signal it was started with
    /// blocked (a launcher's inherited mask) is unblocked in the calling thread, or it would never arrive.
    static func install(_ signals: [Int32], wakeDescriptor: Int32) {
        _ = receivedSignal.load(ordering: .sequentiallyConsistent)
        signalWakeDescriptor.store(wakeDescriptor, ordering: .sequentiallyConsistent)
        var action = sigaction()
        #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handleStopSignal
        #else
            action.__sigaction_u.__sa_handler = handleStopSignal
        #endif
        sigemptyset(&action.sa_mask)
        for signal in signals { sigaddset(&action.sa_mask, signal) }
        action.sa_flags = Int32(SA_RESTART)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in signals {
            var previous = sigaction()
            guard sigaction(signal, nil, &previous) == 0, !isIgnored(previous) else { continue }
            _ = sigaction(signal, &action, nil)
            sigaddset(&unblock, signal)
        }
        _ = pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        #if canImport(Glibc)
            guard let handler = action.__sigaction_handler.sa_handler else { return false }
            return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
        #else
            guard let handler = action.__sigaction_u.__sa_handler, let ignore = SIG_IGN else { return false }
            return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(ignore, to: Int.self)
        #endif
    }

    /// Stops waking `wakeDescriptor` (its cancellation is going away).
    static func forget(wakeDescriptor: Int32) {
        _ = signalWakeDescriptor.compareExchange(
            expected: wakeDescriptor, desired: -1, ordering: .sequentiallyConsistent)
    }

    /// Writes one byte to `descriptor` so that a poll watching the pipe's read end returns; async-signal-safe.
    /// A full pipe is fine: it is readable already.
    static func wake(_ descriptor: Int32) {
        guard descriptor >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(descriptor, &byte, 1)
    }
}

/// The `sigaction` handler: records the first stop signal and wakes the engine; a second one gets the default
/// action (it is blocked while the handler runs, so it ends the process as soon as the handler returns).
private func handleStopSignal(_ signal: Int32) {
    let savedErrno = errno
    defer { errno = savedErrno }
    if receivedSignal.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent).exchanged {
        StopSignals.wake(signalWakeDescriptor.load(ordering: .sequentiallyConsistent))
    } else {
        #if canImport(Glibc)
            _ = Glibc.signal(signal, SIG_DFL)
        #else
            _ = Darwin.signal(signal, SIG_DFL)
        #endif
        _ = raise(signal)
    }
}
