#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exit statuses of every command (README, "Exit codes").
enum ExitStatus: Int32, Sendable {
    /// The job ran and wrote everything, failed probes included (failures are data).
    case success = 0
    /// `probe --strict` and at least one sample is not ok.
    case notOK = 1
    /// Bad usage, bad config or bad input.
    case usage = 2
    /// An environment fault: the output cannot be written, libcurl cannot start.
    case environment = 3
    /// `probe` stopped by SIGINT (128 + 2), after writing the samples taken and the rest as `cancelled`.
    case interrupted = 130
    /// `probe` stopped by SIGTERM (128 + 15), after writing the samples taken and the rest as `cancelled`.
    case terminated = 143

    /// The status for a run stopped by `signal`: ``interrupted`` for SIGINT, else ``terminated``.
    static func stopped(by signal: Int32) -> ExitStatus {
        signal == SIGINT ? .interrupted : .terminated
    }
}
