import ProbeCore

/// Text for people that the HTML report adds: counts with thousands separators, UTC times to the minute,
/// short spans and durations, and time-series bucket widths (the model keeps microseconds since the Unix
/// epoch).
extension DisplayText {
    /// Microseconds in a minute.
    static let microsecondsPerMinute: Int64 = 60_000_000
    /// Microseconds in an hour.
    static let microsecondsPerHour: Int64 = 3_600_000_000
    /// Microseconds in a day.
    static let microsecondsPerDay: Int64 = 86_400_000_000

    /// A count with thousands separators: `12,345`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// `count` and the noun, singular or plural: `1 sample`, `3 samples`.
    static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        count(value) + " " + (value == 1 ? singular : plural ?? singular + "s")
    }

    /// `2026-11-28 08:14` (UTC).
    static func dateMinute(_ microseconds: Int64) -> String {
        String(dateTime(microseconds).prefix(16))
    }

    /// `2026-11-28` (UTC).
    static func date(_ microseconds: Int64) -> String {
        String(Timestamp.rfc3339(microseconds: microseconds).prefix(10))
    }

    /// `08:14` (UTC).
    static func hourMinute(_ microseconds: Int64) -> String {
        String(Timestamp.rfc3339(microseconds: microseconds).dropFirst(11).prefix(5))
    }

    /// `11-28 08:14` (UTC).
    static func monthDayMinute(_ microseconds: Int64) -> String {
        String(dateMinute(microseconds).dropFirst(5))
    }

    /// `11-28` (UTC).
    static func monthDay(_ microseconds: Int64) -> String {
        String(Timestamp.rfc3339(microseconds: microseconds).dropFirst(5).prefix(5))
    }

    /// A span from `start` to `end` to the minute, shortening the end to the time of day when both fall on one
    /// day: `2026-11-28 08:00 – 14:30 UTC`.
    static func span(from start: Int64, to end: Int64) -> String {
        let first = dateMinute(start)
        let last = dateMinute(end)
        let shortLast = first.prefix(10) == last.prefix(10) ? String(last.dropFirst(11)) : last
        return first + " – " + shortLast + " UTC"
    }

    /// The same span without the year, for tight places: `11-28 08:00 – 14:30`, `11-28 08:00 – 12-08 07:59`.
    static func shortSpan(from start: Int64, to end: Int64) -> String {
        let first = monthDayMinute(start)
        let last = monthDayMinute(end)
        return first + " – " + (first.prefix(5) == last.prefix(5) ? String(last.dropFirst(6)) : last)
    }

    /// A duration for people in its largest unit, and the next one when that is not zero; seconds only below a
    /// minute: `45 s`, `12 min`, `6 h`, `6 h 5 min`, `3 d 4 h`. ``duration(microseconds:)`` keeps both units.
    static func shortDuration(microseconds: Int64) -> String {
        let seconds = max(microseconds, 0) / 1_000_000
        if seconds < 60 { return "\(seconds) s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours) h" : "\(hours) h \(minutes % 60) min" }
        let days = hours / 24
        return hours % 24 == 0 ? "\(days) d" : "\(days) d \(hours % 24) h"
    }

    /// A time-series bucket width: `1-minute`, `5-minute`, `1-hour`, `1-day`, `30-second`.
    static func bucket(_ microseconds: Int64) -> String {
        if microseconds >= microsecondsPerDay, microseconds % microsecondsPerDay == 0 {
            return "\(microseconds / microsecondsPerDay)-day"
        }
        if microseconds >= microsecondsPerHour, microseconds % microsecondsPerHour == 0 {
            return "\(microseconds / microsecondsPerHour)-hour"
        }
        if microseconds >= microsecondsPerMinute, microseconds % microsecondsPerMinute == 0 {
            return "\(microseconds / microsecondsPerMinute)-minute"
        }
        return "\(max(microseconds / 1_000_000, 1))-second"
    }

    /// Milliseconds with their unit, or an em dash when there is no value: `41.2 ms`.
    static func millisecondsWithUnit(_ value: Double?) -> String {
        value.map { milliseconds($0) + " ms" } ?? "—"
    }
}
