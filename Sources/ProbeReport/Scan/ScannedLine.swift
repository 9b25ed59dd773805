/// Where a string value lies in the line being scanned: byte offset and length, or absent for `null`.
package struct ByteSpan: Sendable, Equatable {
    /// Offset of the first byte after the opening quote.
    package var start: Int32
    /// Length in bytes of the raw (still escaped) contents; -1 for `null`.
    package var length: Int32
    /// The raw contents contain a backslash escape.
    package var escaped: Bool

    /// The span of `null`.
    package static let null = ByteSpan(start: 0, length: -1, escaped: false)

    /// Whether the value was `null`.
    package var isNull: Bool { length < 0 }
}

/// The fields of one line the report uses, as the scanner found them: numbers already converted, strings
/// as spans into the line. Reused from line to line, so scanning allocates nothing.
package struct ScannedLine: Sendable {
    /// Sentinel for a null duration in ``metrics``.
    package static let nullDuration = UInt32.max

    /// `ts`, µs since the epoch.
    package var timestamp: Int64 = 0
    /// `round`.
    package var round: Int64 = 0
    /// `n`.
    package var n: Int64 = 0
    /// `status`, -1 when null.
    package var status: Int64 = -1
    /// `asn`, nil when null.
    package var asn: Int64?
    /// `ok`.
    package var ok = false
    /// `error.kind` as 1 + its index in `SampleError.Kind.allCases`, 0 when `error` is null.
    package var errorKind: UInt8 = 0
    /// `path_type` as its index in `PathType.allCases`.
    package var pathType: UInt8 = 0
    /// Durations in µs, indexed by ``Metric/index``; ``nullDuration`` when null.
    package var metrics: InlineArray<8, UInt32> = .init(repeating: ScannedLine.nullDuration)
    /// `agent`.
    package var agent = ByteSpan.null
    /// `site`.
    package var site = ByteSpan.null
    /// `region`.
    package var region = ByteSpan.null
    /// `target`.
    package var target = ByteSpan.null
    /// `path`.
    package var path = ByteSpan.null
    /// `isp`.
    package var isp = ByteSpan.null
    /// `prefix`.
    package var prefix = ByteSpan.null
    /// `pop`.
    package var pop = ByteSpan.null

    /// The date part (`YYYY-MM-DD`) of the last canonical timestamp and the start of that day (µs): lines of
    /// one batch share a date, so the fast path parses only the time of day.
    package var cachedDate: (UInt64, UInt16) = (0, 0)
    /// See ``cachedDate``; nil until a date is cached.
    package var cachedDayStart: Int64?

    /// Makes an empty record.
    package init() {}
}
