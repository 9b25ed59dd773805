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
    /// The memory the report may use (`--memory-limit`, default 100 MiB): a fifth holds scanned rows before they
    /// spill to `spillFolder`, two fifths are shared by the threads computing groups and comparisons (past their
    /// share they read the rows again rather than hold more), an eighth holds the CDF counts of paths read and
    /// waiting for their comparison, the rest is the program, its input buffers and the results.
    public var memoryLimitBytes: Int
    /// Where spill files go (unlinked at once, so nothing is left behind).
    public var spillFolder: String

    /// Makes options; the defaults are those of `peering-probe report` with no flags.
    public init(
        filter: ReportFilter = ReportFilter(), grouping: [GroupDimension] = GroupDimension.defaultGrouping,
        metric: Metric = .total, minimumEffect: MinimumEffect = .default, threads: Int? = nil,
        memoryLimitBytes: Int = ReportOptions.defaultMemoryLimit, spillFolder: String? = nil
    ) {
        self.filter = filter
        self.grouping = grouping
        self.metric = metric
        self.minimumEffect = minimumEffect
        self.threads = max(1, min(threads ?? Parallel.processorCount, 8))
        self.memoryLimitBytes = memoryLimitBytes
        self.spillFolder = spillFolder ?? Parallel.temporaryFolder
    }

    /// `--memory-limit`'s default: 100 MiB.
    public static let defaultMemoryLimit = 100 << 20

    /// Bytes of scanned rows all threads together keep in memory before spilling.
    var rowBudgetBytes: Int { memoryLimitBytes / 5 }

    /// Bytes each thread computing groups or comparisons may hold in counts and join tables (at least 64 KiB,
    /// so that a tiny limit means many passes, not endless ones).
    var workBytesPerThread: Int { max(memoryLimitBytes * 2 / 5 / threads, 64 << 10) }

    /// Bytes of CDF counts that paths read and waiting for their comparison may hold together.
    var tallyBytes: Int { memoryLimitBytes / 8 }
}
