/// One Peering Service path against one internet path, at one site and target, over the rounds (for samples
/// of agents that probed only one of them, the time) both cover.
///
/// Differences are `peering - internet`: negative means the Peering Service path is faster. Percentages are
/// relative to the internet path's value.
public struct Comparison: Sendable {
    /// Site (nil when the samples carry none).
    public var site: String?
    /// Region of the site.
    public var region: String?
    /// Target name.
    public var target: String
    /// The Peering Service side.
    public var peering: ComparisonSide
    /// The internet side.
    public var internet: ComparisonSide
    /// Start of the time the compared samples span (µs).
    public var windowStart: Int64
    /// End of that window (µs).
    public var windowEnd: Int64
    /// Samples left out on either side because they fell outside what both paths cover; 0 when nothing was
    /// trimmed.
    public var trimmedSamples: Int
    /// Whether the test is paired (same agent, round and `n` on both paths): Wilcoxon signed-rank on the
    /// paired differences; otherwise Mann-Whitney U on the two samples.
    public var paired: Bool
    /// Number of pairs (paired) or 0.
    public var pairs: Int
    /// Paired: median of the paired differences; unpaired: difference of medians (ms).
    public var medianDifference: Double?
    /// ``medianDifference`` as a percentage of the internet median.
    public var medianDifferencePercent: Double?
    /// Difference of the 90th percentiles (ms).
    public var p90Difference: Double?
    /// ``p90Difference`` as a percentage of the internet p90.
    public var p90DifferencePercent: Double?
    /// Availability difference, percentage points (peering - internet).
    public var availabilityDifference: Double
    /// 95% percentile-bootstrap interval of ``medianDifference`` (ms).
    public var confidenceLow: Double?
    /// See ``confidenceLow``.
    public var confidenceHigh: Double?
    /// Two-sided p-value of the test (normal approximation with tie and continuity correction).
    public var pValue: Double?
    /// The one-line answer.
    public var verdict: Verdict

    /// Makes a comparison.
    public init(
        site: String?, region: String?, target: String, peering: ComparisonSide, internet: ComparisonSide,
        windowStart: Int64, windowEnd: Int64, trimmedSamples: Int, paired: Bool, pairs: Int,
        medianDifference: Double?, medianDifferencePercent: Double?, p90Difference: Double?,
        p90DifferencePercent: Double?, availabilityDifference: Double, confidenceLow: Double?,
        confidenceHigh: Double?, pValue: Double?, verdict: Verdict
    ) {
        self.site = site
        self.region = region
        self.target = target
        self.peering = peering
        self.internet = internet
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.trimmedSamples = trimmedSamples
        self.paired = paired
        self.pairs = pairs
        self.medianDifference = medianDifference
        self.medianDifferencePercent = medianDifferencePercent
        self.p90Difference = p90Difference
        self.p90DifferencePercent = p90DifferencePercent
        self.availabilityDifference = availabilityDifference
        self.confidenceLow = confidenceLow
        self.confidenceHigh = confidenceHigh
        self.pValue = pValue
        self.verdict = verdict
    }
}

/// One path in a comparison, over the common window.
public struct ComparisonSide: Sendable, Hashable {
    /// Path name.
    public var path: String
    /// Provider.
    public var isp: String?
    /// Provider ASN.
    public var asn: Int64?
    /// Registered prefix.
    public var prefix: String?
    /// Samples in the window.
    public var samples: Int
    /// Answered samples in the window.
    public var answered: Int
    /// `ok` samples in the window.
    public var ok: Int
    /// Median of the compared metric (ms).
    public var p50: Double?
    /// 90th percentile of the compared metric (ms).
    public var p90: Double?

    /// `ok / samples`, from 0 to 1.
    public var availability: Double { samples == 0 ? 0 : Double(ok) / Double(samples) }

    /// Makes a side.
    public init(
        path: String, isp: String?, asn: Int64?, prefix: String?, samples: Int, answered: Int, ok: Int,
        p50: Double?, p90: Double?
    ) {
        self.path = path
        self.isp = isp
        self.asn = asn
        self.prefix = prefix
        self.samples = samples
        self.answered = answered
        self.ok = ok
        self.p50 = p50
        self.p90 = p90
    }
}

/// The answer of a comparison.
public enum Verdict: Sendable, Hashable {
    /// p < 0.01 and the Peering Service median is lower by at least the minimum effect.
    case peeringFaster(milliseconds: Double, pValue: Double)
    /// p < 0.01 and the internet median is lower by at least the minimum effect.
    case internetFaster(milliseconds: Double, pValue: Double)
    /// Either p >= 0.01 or the difference is below the minimum effect.
    case noSignificantDifference
    /// Too few answered samples on a side (fewer than 10) to test.
    case insufficientData

    /// A stable word for machines: `peering-faster`, `internet-faster`, `no-difference`, `insufficient-data`.
    public var code: String {
        switch self {
        case .peeringFaster: "peering-faster"
        case .internetFaster: "internet-faster"
        case .noSignificantDifference: "no-difference"
        case .insufficientData: "insufficient-data"
        }
    }

    /// The one-line verdict: "Peering Service faster by 12.4 ms (p < 0.001)".
    public var text: String {
        switch self {
        case .peeringFaster(let ms, let p):
            "Peering Service faster by \(DisplayText.milliseconds(ms)) ms (\(DisplayText.pValue(p)))"
        case .internetFaster(let ms, let p):
            "internet path faster by \(DisplayText.milliseconds(ms)) ms (\(DisplayText.pValue(p)))"
        case .noSignificantDifference: "no significant difference"
        case .insufficientData: "not enough samples to compare"
        }
    }
}
