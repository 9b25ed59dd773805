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
}
