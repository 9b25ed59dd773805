public import CurlKit

/// One (target, path) pair of a round: probed `target.count` times, one sample after another.
public struct ProbeJob: Sendable {
    /// The resolved target.
    public var target: TargetSpec
    /// The path's tags, decided before the round.
    public var path: PathTags
    /// Source binding of the path (`CURLOPT_INTERFACE`), overriding the target's.
    public var interface: String?

    /// Makes a job.
    public init(target: TargetSpec, path: PathTags, interface: String? = nil) {
        self.target = target
        self.path = path
        self.interface = interface
    }
}

/// What one probe produced, before it becomes a ``Sample``: which job, which `n`, and libcurl's report.
public struct ProbeOutcome: Sendable {
    /// Index of the job in the round's job list.
    public var job: Int
    /// Index of the sample within its job in this round, from 0.
    public var n: Int
    /// libcurl's report of the transfer.
    public var report: CurlKit.TransferReport
}
