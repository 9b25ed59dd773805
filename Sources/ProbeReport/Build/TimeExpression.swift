internal import ProbeCore

/// The times `--since` and `--until` take: an RFC 3339 timestamp (`2026-11-28T08:00:00Z`), a date
/// (`2026-11-28`, midnight UTC), or a span back from now (`90s`, `30m`, `24h`, `7d`, `2w`).
public enum TimeExpression {
    /// µs since the epoch, or nil when `text` is none of the accepted forms.
    public static func parse(_ text: String, now: Int64) -> Int64? {
        if let micros = Timestamp.parseRFC3339(text) { return micros }
        if text.utf8.count == 10, let micros = Timestamp.parseRFC3339(text + "T00:00:00Z") { return micros }
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        let (span, overflow) = amount.multipliedReportingOverflow(by: seconds * 1_000_000)
        return overflow ? nil : now - span
    }
}
