public import ProbeCore

/// Everything a report says, computed once and rendered by any of the renderers (table, Markdown, CSV,
/// JSON, HTML). Times are microseconds since the Unix epoch; latencies are milliseconds as `Double`.
public struct Report: Sendable {
    /// What was read and what was skipped.
    public var input: InputSummary
    /// The dimensions the groups are keyed on, in order.
    public var grouping: [GroupDimension]
    /// The metric the comparisons, CDFs and time series use (`total` unless `--metric` says otherwise).
    public var comparedMetric: Metric
    /// The effect a verdict needs besides p < 0.01.
    public var minimumEffect: MinimumEffect
    /// Per-group statistics, sorted by their key values.
    public var groups: [GroupStats]
    /// Peering Service path against internet path, per site and target, verdicts first in rendering.
    public var comparisons: [Comparison]
    /// Which edge PoPs each path reached, per site and target.
    public var pops: [PopUsage]
    /// Chart data per site and target (CDFs and time series), for the HTML renderer.
    public var charts: [TargetCharts]

    /// Makes a report.
    public init(
        input: InputSummary, grouping: [GroupDimension], comparedMetric: Metric, minimumEffect: MinimumEffect,
        groups: [GroupStats], comparisons: [Comparison], pops: [PopUsage], charts: [TargetCharts]
    ) {
        self.input = input
        self.grouping = grouping
        self.comparedMetric = comparedMetric
        self.minimumEffect = minimumEffect
        self.groups = groups
        self.comparisons = comparisons
        self.pops = pops
        self.charts = charts
    }
}

/// The smallest difference of medians a verdict calls a difference: the larger of an absolute and a relative
/// amount (`--min-effect`, default 1 ms and 5%).
public struct MinimumEffect: Sendable, Hashable {
    /// Absolute part, milliseconds.
    public var milliseconds: Double
    /// Relative part, percent of the internet path's median.
    public var percent: Double

    /// The default: max(1 ms, 5%).
    public static let `default` = MinimumEffect(milliseconds: 1, percent: 5)

    /// Makes a minimum effect.
    public init(milliseconds: Double, percent: Double) {
        self.milliseconds = milliseconds
        self.percent = percent
    }

    /// The threshold in milliseconds for a comparison whose internet median is `baseline` ms.
    public func threshold(baseline: Double) -> Double { max(milliseconds, abs(baseline) * percent / 100) }
}

/// What the report read, what it left out, and why.
public struct InputSummary: Sendable {
    /// Files (and `-`) read, in order.
    public var sources: [String]
    /// Non-blank lines seen.
    public var lines: Int
    /// Samples parsed (before filters).
    public var parsed: Int
    /// Samples left after the filters, the ones every statistic uses.
    public var kept: Int
    /// Lines skipped because they are not JSON, lack required fields or have wrong types.
    public var skipped: Int
    /// Last lines of a file that end without a newline and do not parse: a writer that crashed mid-line.
    public var torn: Int
    /// The first few skipped or torn lines, with where they are and why.
    public var badLines: [BadLine]
    /// Earliest and latest `ts` among kept samples (µs), nil when none.
    public var firstTimestamp: Int64?
    /// See ``firstTimestamp``.
    public var lastTimestamp: Int64?
    /// The filters applied, as `name=value` text, for the report's header.
    public var filters: [String]

    /// Makes an input summary.
    public init(
        sources: [String], lines: Int, parsed: Int, kept: Int, skipped: Int, torn: Int, badLines: [BadLine],
        firstTimestamp: Int64?, lastTimestamp: Int64?, filters: [String]
    ) {
        self.sources = sources
        self.lines = lines
        self.parsed = parsed
        self.kept = kept
        self.skipped = skipped
        self.torn = torn
        self.badLines = badLines
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.filters = filters
    }
}

/// One line the report could not use.
public struct BadLine: Sendable, Hashable {
    /// File name as given (or `-`).
    public var source: String
    /// 1-based line number in that file (after decompression).
    public var line: Int
    /// Why it was skipped.
    public var reason: String
    /// The start of the line, at most 120 characters.
    public var excerpt: String
    /// A torn last line rather than a bad one.
    public var torn: Bool

    /// Makes a bad-line record.
    public init(source: String, line: Int, reason: String, excerpt: String, torn: Bool) {
        self.source = source
        self.line = line
        self.reason = reason
        self.excerpt = excerpt
        self.torn = torn
    }
}

/// Statistics of one group.
public struct GroupStats: Sendable {
    /// The group's value for each grouping dimension, in ``Report/grouping`` order (nil: the field was null).
    public var key: [String?]
    /// Region(s) of the group's samples, shown beside the site (`a, b` when several).
    public var region: String?
    /// All samples.
    public var samples: Int
    /// Samples with an HTTP status (expected or not): the ones latency statistics use.
    public var answered: Int
    /// Samples with `ok` true.
    public var ok: Int
    /// Errors by kind, most frequent first, kinds with a count only.
    public var errors: [ErrorCount]
    /// Earliest and latest sample start (µs).
    public var firstTimestamp: Int64
    /// See ``firstTimestamp``.
    public var lastTimestamp: Int64
    /// One entry per ``Metric``, in `Metric.allCases` order.
    public var metrics: [MetricStats]

    /// `ok / samples`, from 0 to 1.
    public var availability: Double { samples == 0 ? 0 : Double(ok) / Double(samples) }

    /// Makes group statistics.
    public init(
        key: [String?], region: String?, samples: Int, answered: Int, ok: Int, errors: [ErrorCount],
        firstTimestamp: Int64, lastTimestamp: Int64, metrics: [MetricStats]
    ) {
        self.key = key
        self.region = region
        self.samples = samples
        self.answered = answered
        self.ok = ok
        self.errors = errors
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.metrics = metrics
    }

    /// The statistics of one metric.
    public subscript(metric: Metric) -> MetricStats { metrics[metric.index] }
}

/// How many samples failed with one kind of error.
public struct ErrorCount: Sendable, Hashable {
    /// The kind.
    public var kind: SampleError.Kind
    /// How many.
    public var count: Int

    /// Makes an error count.
    public init(kind: SampleError.Kind, count: Int) {
        self.kind = kind
        self.count = count
    }
}

/// Statistics of one metric over a group's answered samples where the metric is not null. All values are
/// milliseconds; every one is nil when `count` is 0. Percentiles are exact, by linear interpolation between
/// the two nearest order statistics (DuckDB's `quantile_cont`): for n sorted values x[0...n-1], the q-quantile
/// is at position h = (n - 1) q, x[floor h] + (h - floor h)(x[ceil h] - x[floor h]).
public struct MetricStats: Sendable, Hashable {
    /// Which metric.
    public var metric: Metric
    /// Values summarised.
    public var count: Int
    /// Median.
    public var p50: Double?
    /// 90th percentile.
    public var p90: Double?
    /// 95th percentile.
    public var p95: Double?
    /// 99th percentile.
    public var p99: Double?
    /// Smallest value.
    public var min: Double?
    /// Largest value.
    public var max: Double?
    /// Arithmetic mean.
    public var mean: Double?
    /// Sample standard deviation (n - 1 in the denominator, as DuckDB's `stddev_samp`); nil below 2 values.
    public var stddev: Double?
    /// p90 - p10.
    public var spread: Double?
    /// Mean absolute difference of consecutive values in time order (ping's mdev, RFC 3550 style); nil below
    /// 2 values.
    public var jitter: Double?

    /// Makes metric statistics.
    public init(
        metric: Metric, count: Int, p50: Double? = nil, p90: Double? = nil, p95: Double? = nil, p99: Double? = nil,
        min: Double? = nil, max: Double? = nil, mean: Double? = nil, stddev: Double? = nil, spread: Double? = nil,
        jitter: Double? = nil
    ) {
        self.metric = metric
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.min = min
        self.max = max
        self.mean = mean
        self.stddev = stddev
        self.spread = spread
        self.jitter = jitter
    }
}
