/// How a report is made: which samples, grouped how, compared on which metric, with what effect size.
public struct ReportOptions: Sendable {
    /// Which samples to keep.
    public var filter: ReportFilter
    /// Group dimensions, in order (default: site, target, path type).
    public var grouping: [GroupDimension]
    /// The metric comparisons, CDFs and time series use.
    public var metric: Metric
    /// The effect a verdict needs besides p < 0.01.
    public var minimumEffect: MinimumEffect
    /// Scanning threads (default: one per core, at most 8).
    public var threads: Int
    /// Bytes of stored rows kept in memory before spilling to `spillFolder`.
    public var memoryBudgetBytes: Int
    /// Where spill files go (unlinked at once, so nothing is left behind).
    public var spillFolder: String

    /// Makes options; the defaults are those of `peering-probe report` with no flags.
    public init(
        filter: ReportFilter = ReportFilter(), grouping: [GroupDimension] = GroupDimension.defaultGrouping,
        metric: Metric = .total, minimumEffect: MinimumEffect = .default, threads: Int? = nil,
        memoryBudgetBytes: Int = 24 << 20, spillFolder: String? = nil
    ) {
        self.filter = filter
        self.grouping = grouping
        self.metric = metric
        self.minimumEffect = minimumEffect
        self.threads = max(1, min(threads ?? Parallel.processorCount, 8))
        self.memoryBudgetBytes = memoryBudgetBytes
        self.spillFolder = spillFolder ?? Parallel.temporaryFolder
    }
}
