/// RFC 3339 timestamps in UTC with microseconds (`2026-11-28T04:49:37.123456Z`), without Foundation.
///
/// Dates are converted with integer arithmetic only (Howard Hinnant's `civil_from_days` and
/// `days_from_civil`): proleptic Gregorian, exact for every day of years 0000 to 9999, which covers the
/// schema's use by far. Formatting years outside that range is not meaningful (the year is written with
/// four digits).
package enum Timestamp {
    /// The length of a formatted timestamp: `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    package static let formattedLength = 27

    /// Formats microseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    package static func rfc3339(microseconds: Int64) -> String {
        String(unsafeUninitializedCapacity: formattedLength) { buffer in
            var writer = ByteWriter(buffer.baseAddress!)
            writer.timestamp(microseconds)
            return writer.count
        }
    }

    /// Appends the same text as ``rfc3339(microseconds:)`` to `buffer`, as UTF-8 bytes.
    package static func append(microseconds: Int64, to buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: formattedLength) { scratch in
            var writer = ByteWriter(scratch.baseAddress!)
            writer.timestamp(microseconds)
            buffer.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress!, count: writer.count))
        }
    }

    /// Year, month and day of a day count from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    @inlinable
    package static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to a civil date (`days_from_civil`); negative before the epoch.
    @inlinable
    package static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Whether `year` is a Gregorian leap year.
    @inlinable
    package static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in `month` (1 to 12) of `year`.
    @inlinable
    package static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Parses an RFC 3339 timestamp into microseconds since the epoch; nil when malformed.
    ///
    /// Accepts `Z` (or `z`) and `±hh:mm` offsets, `T`, `t` or a space between date and time, 0 to 9
    /// fractional digits (digits past the sixth are truncated), and a leap second `:60` (read as the next
    /// second). Rejects impossible dates such as February 30.
    package static func parseRFC3339(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseRFC3339(utf8: $0) }
    }

    /// Parses an RFC 3339 timestamp given as UTF-8 bytes (for example straight from an NDJSON line), with
    /// the same rules as ``parseRFC3339(_:)``.
    package static func parseRFC3339(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let count = bytes.count
        func digits(_ start: Int, _ length: Int) -> Int64? {
            guard start + length <= count else { return nil }
            var value: Int64 = 0
            for index in start..<start + length {
                let digit = bytes[index] &- 0x30
                guard digit <= 9 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        func byte(_ index: Int, is expected: UInt8) -> Bool { index < count && bytes[index] == expected }

        guard count >= 20, let year = digits(0, 4), byte(4, is: UInt8(ascii: "-")), let month = digits(5, 2),
            byte(7, is: UInt8(ascii: "-")), let day = digits(8, 2),
            byte(10, is: UInt8(ascii: "T")) || byte(10, is: UInt8(ascii: "t")) || byte(10, is: UInt8(ascii: " ")),
            let hour = digits(11, 2), byte(13, is: UInt8(ascii: ":")), let minute = digits(14, 2),
            byte(16, is: UInt8(ascii: ":")), let second = digits(17, 2),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour < 24,
            minute < 60, second <= 60
        else { return nil }
        var index = 19
        var micros: Int64 = 0
        if byte(index, is: UInt8(ascii: ".")) {
            index += 1
            var fractionDigits = 0
            while index < count, bytes[index] &- 0x30 <= 9 {
                if fractionDigits < 6 { micros = micros * 10 + Int64(bytes[index] - 0x30) }
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0, fractionDigits <= 9 else { return nil }
            for _ in min(fractionDigits, 6)..<6 { micros *= 10 }
        }
        guard index < count else { return nil }
        var offsetSeconds: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let hours = digits(index + 1, 2), byte(index + 3, is: UInt8(ascii: ":")),
                let minutes = digits(index + 4, 2), hours < 24, minutes < 60
            else { return nil }
            offsetSeconds = (hours * 3_600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        default:
            return nil
        }
        guard index == count else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        return seconds * 1_000_000 + micros
    }
}
