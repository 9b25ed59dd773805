internal import Glibc

/// How long the phases of one report took, in seconds of wall time, and whether rows spilled to disk.
public struct ReportTimings: Sendable {
    /// Reading and scanning every line, and merging the threads' tables.
    public var scan: Double = 0
    /// The per-group statistics (the default tables).
    public var groups: Double = 0
    /// Comparisons (tests, bootstrap), PoP usage and chart data.
    public var comparisons: Double = 0
    /// Bytes of rows written to the spill file (0: everything stayed in memory).
    public var spilledBytes: Int64 = 0

    /// Makes zero timings.
    public init() {}

    /// Monotonic seconds.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
