#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The clocks the metrics read when a caller gives no time: the monotonic clock of ``RoundSchedule`` (the
/// one CurlKit's `MultiHandle.monotonicMicroseconds()` reads) and Unix time.
enum MetricsClock {
    /// `CLOCK_MONOTONIC` in microseconds.
    static func monotonicMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }

    /// Unix time in seconds, with the fraction.
    static func wallClockSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
