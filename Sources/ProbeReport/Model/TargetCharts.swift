/// The data behind the HTML charts of one site and target: a CDF per path type and a time series of medians
/// per path, both of the report's compared metric.
public struct TargetCharts: Sendable {
    /// Site.
    public var site: String?
    /// Target name.
    public var target: String
    /// Latency CDF per path type (peering-service, internet, expressroute, unknown: those present).
    public var cdfs: [CDFSeries]
    /// Bucket width of the time series (µs): a minute, an hour or a day, chosen from the span.
    public var bucketMicroseconds: Int64
    /// Medians per bucket, one series per path.
    public var timeSeries: [TimeSeries]

    /// Makes chart data.
    public init(
        site: String?, target: String, cdfs: [CDFSeries], bucketMicroseconds: Int64, timeSeries: [TimeSeries]
    ) {
        self.site = site
        self.target = target
        self.cdfs = cdfs
        self.bucketMicroseconds = bucketMicroseconds
        self.timeSeries = timeSeries
    }
}

/// An empirical CDF: `points[i]` is (latency ms, fraction of samples at or below it), fraction rising from
/// near 0 to 1, at most about 200 points (evenly spaced quantiles).
public struct CDFSeries: Sendable, Hashable {
    /// `peering-service`, `internet`, ...
    public var pathType: String
    /// Samples behind the curve.
    public var count: Int
    /// (ms, fraction) points in increasing order of both.
    public var points: [CDFPoint]

    /// Makes a CDF series.
    public init(pathType: String, count: Int, points: [CDFPoint]) {
        self.pathType = pathType
        self.count = count
        self.points = points
    }
}

/// One point of a CDF.
public struct CDFPoint: Sendable, Hashable {
    /// Latency, ms.
    public var milliseconds: Double
    /// Fraction of samples at or below it, 0...1.
    public var fraction: Double

    /// Makes a point.
    public init(milliseconds: Double, fraction: Double) {
        self.milliseconds = milliseconds
        self.fraction = fraction
    }
}

/// Medians per time bucket for one path.
public struct TimeSeries: Sendable, Hashable {
    /// Path name.
    public var path: String
    /// Path type.
    public var pathType: String
    /// Points in time order.
    public var points: [TimePoint]

    /// Makes a time series.
    public init(path: String, pathType: String, points: [TimePoint]) {
        self.path = path
        self.pathType = pathType
        self.points = points
    }
}

/// One bucket of a time series.
public struct TimePoint: Sendable, Hashable {
    /// Bucket start (µs since the epoch).
    public var bucketStart: Int64
    /// Answered samples in the bucket.
    public var count: Int
    /// Median of the metric in the bucket (ms).
    public var median: Double

    /// Makes a point.
    public init(bucketStart: Int64, count: Int, median: Double) {
        self.bucketStart = bucketStart
        self.count = count
        self.median = median
    }
}
