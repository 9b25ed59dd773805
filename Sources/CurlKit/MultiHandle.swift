import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One persistent libcurl multi handle that runs many ``Transfer``s at once.
///
/// Keeping one multi handle for the life of the process is what lets libcurl's CA cache
/// (`CURLOPT_CA_CACHE_TIMEOUT`) work: the verified TLS phase then measures the network, not the
/// client re-reading the CA store (ProbeCore's MeasuringLatency article). Not thread-safe: drive it from
/// one thread; only ``wakeup()`` may be called from elsewhere.
public final class MultiHandle {
    private let handle: UnsafeMutableRawPointer
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]

    /// Makes the multi handle; throws when libcurl cannot start.
    public init() throws(CurlError) {
        try CurlGlobal.ensureInitialised()
        guard let handle = curl_multi_init() else { throw CurlError(numericCode: 27, context: "curl_multi_init") }
        self.handle = handle
    }

    deinit {
        for (easy, _) in running { curl_multi_remove_handle(handle, easy) }
        curl_multi_cleanup(handle)
    }

    /// Transfers started and not yet finished.
    public var inFlight: Int { running.count }

    /// Starts `transfer` (already configured) and drives libcurl once so that it begins at once.
    public func add(_ transfer: Transfer) throws(CurlError) {
        transfer.markStarted(at: Self.wallClockMicroseconds())
        let rc = curl_multi_add_handle(handle, transfer.handle)
        guard rc == CURLM_OK else { throw CurlError(numericCode: Int(rc.rawValue), context: "curl_multi_add_handle") }
        running[transfer.handle] = transfer
    }

    /// Stops a running transfer and returns its report, marked cancelled; its `total` is the time from
    /// its start until now (at least libcurl's own figure).
    public func cancel(_ transfer: Transfer) -> TransferReport {
        guard running.removeValue(forKey: transfer.handle) != nil else { return transfer.finish(code: CURLE_OK) }
        curl_multi_remove_handle(handle, transfer.handle)
        transfer.markCancelled()
        var report = transfer.finish(code: CURLE_ABORTED_BY_CALLBACK)
        if report.startedAt > 0 { report.total = max(report.total, Self.wallClockMicroseconds() - report.startedAt) }
        return report
    }

    /// Lets libcurl do all the work that is ready now, then hands every finished transfer to `completed`
    /// (already removed from the multi handle, so the transfer can be configured and added again).
    public func perform(_ completed: (Transfer, TransferReport) -> Void) {
        var stillRunning: Int32 = 0
        _ = curl_multi_perform(handle, &stillRunning)
        var queued: Int32 = 0
        while let message = curl_multi_info_read(handle, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = ccurl_msg_result(message)
            curl_multi_remove_handle(handle, easy)
            guard let transfer = running.removeValue(forKey: easy) else { continue }
            completed(transfer, transfer.finish(code: code))
        }
    }

    /// Waits until a socket is ready, libcurl's own timer is due, `wakeup()` is called, `wakeDescriptor`
    /// (when given) becomes readable, or `timeoutMilliseconds` pass, whichever comes first.
    ///
    /// `wakeDescriptor` is a file descriptor of the caller's, such as the read end of a pipe that a signal
    /// handler writes to; it is only watched, never read.
    public func poll(timeoutMilliseconds: Int, wakeDescriptor: Int32? = nil) {
        var ready: Int32 = 0
        let timeout = Int32(clamping: max(0, timeoutMilliseconds))
        if let wakeDescriptor {
            var extra = curl_waitfd(fd: wakeDescriptor, events: Int16(CURL_WAIT_POLLIN), revents: 0)
            _ = curl_multi_poll(handle, &extra, 1, timeout, &ready)
        } else {
            _ = curl_multi_poll(handle, nil, 0, timeout, &ready)
        }
    }

    /// Ends a `poll` early; safe from any thread.
    public func wakeup() {
        _ = curl_multi_wakeup(handle)
    }

    /// The wall clock in microseconds since the Unix epoch.
    public static func wallClockMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }

    /// A monotonic clock in microseconds, for scheduling.
    public static func monotonicMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
