/// One kept sample as the report stores it: 64 bytes, fixed size, so rows are kept in chunks and spilled to
/// disk as they are. Strings live once per series (``SeriesKey``) and once per PoP, not per row.
package struct StoredRow: Sendable {
    /// `ts`, µs since the epoch.
    package var timestamp: Int64
    /// `round`.
    package var round: Int64
    /// `n`.
    package var n: Int64
    /// Durations in µs by ``Metric/index``; `ScannedLine.nullDuration` for null.
    package var metrics: InlineArray<8, UInt32>
    /// PoP id in the report's PoP table (0: no PoP).
    package var pop: UInt32
    /// HTTP status, -1 when there was no answer.
    package var status: Int16
    /// Bit 0: `ok`. Bits 4-7: error kind + 1 (0: no error).
    package var flags: UInt8

    /// Whether the sample has an HTTP status: latency statistics use answered samples only (<doc:ReadingReports>).
    package var answered: Bool { status >= 0 }

    /// `ok`.
    package var ok: Bool { flags & 1 != 0 }

    /// The error kind's index in `SampleError.Kind.allCases` + 1, or 0.
    package var errorKind: Int { Int(flags >> 4) }

    /// Makes a row.
    package init(
        timestamp: Int64, round: Int64, n: Int64, metrics: InlineArray<8, UInt32>, pop: UInt32, status: Int16,
        ok: Bool, errorKind: UInt8
    ) {
        self.timestamp = timestamp
        self.round = round
        self.n = n
        self.metrics = metrics
        self.pop = pop
        self.status = status
        self.flags = (ok ? 1 : 0) | (errorKind << 4)
    }
}
