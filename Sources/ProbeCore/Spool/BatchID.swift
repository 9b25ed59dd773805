/// Batch identifiers: `AGENT-YYYYMMDDTHHMMSSZ-FIRSTSEQ`, which is also the batch file's name, and the
/// UTC day folder `YYYY-MM-DD` the batch goes into.
package enum BatchID {
    /// The id for a batch of `agent` opened at `microseconds` (Unix epoch, UTC) whose first line has
    /// sequence number `firstSeq`.
    package static func make(agent: String, microseconds: Int64, firstSeq: Int64) -> String {
        "\(agent)-\(compactTime(microseconds))-\(firstSeq)"
    }

    /// A fresh id for output with no state (`--out -`): the same shape, with a random run suffix in place of
    /// the sequence number, so two runs in the same second never share an id.
    package static func makeStateless(agent: String, microseconds: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let run = String(UInt32.random(in: .min ... .max, using: &generator), radix: 16)
        return "\(agent)-\(compactTime(microseconds))-r\(String(repeating: "0", count: 8 - run.count))\(run)"
    }

    /// `YYYY-MM-DD` of `microseconds`, UTC.
    package static func day(_ microseconds: Int64) -> String {
        let parts = civil(microseconds)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
    }

    /// Whether `name` is a day folder's name, `YYYY-MM-DD` with a valid date.
    package static func isDay(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10])
        else { return false }
        return (1...12).contains(month) && (1...Timestamp.daysInMonth(year: year, month: month)).contains(day)
    }

    /// When the batch whose file is named `name` was opened, in microseconds since the Unix epoch (whole
    /// seconds), read from the time its id carries: `AGENT-YYYYMMDDTHHMMSSZ-FIRSTSEQ.ndjson` (or `.ndjson.gz`,
    /// or a bare id) gives YYYY-MM-DD HH:MM:SS UTC. Nil when the name carries no valid time.
    package static func openedMicroseconds(ofBatch name: String) -> Int64? {
        var base = name[...]
        for suffix in [BatchFileName.compressedSuffix, BatchFileName.fileExtension] where base.hasSuffix(suffix) {
            base = base.dropLast(suffix.count)
        }
        guard let lastDash = base.lastIndex(of: "-") else { return nil }
        let head = base[..<lastDash]
        guard let timeDash = head.lastIndex(of: "-") else { return nil }
        let time = Array(head[head.index(after: timeDash)...].utf8)
        guard time.count == 16, time[8] == UInt8(ascii: "T"), time[15] == UInt8(ascii: "Z"),
            let year = number(time[0..<4]), let month = number(time[4..<6]), let day = number(time[6..<8]),
            let hour = number(time[9..<11]), let minute = number(time[11..<13]), let second = number(time[13..<15]),
            (1...12).contains(month), (1...Timestamp.daysInMonth(year: year, month: month)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Timestamp.daysSinceEpoch(year: year, month: month, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000
    }

    /// The decimal number the ASCII digits `digits` spell; nil when one is not a digit.
    private static func number(_ digits: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        return value
    }

    private static func compactTime(_ microseconds: Int64) -> String {
        let parts = civil(microseconds)
        return "\(pad(parts.year, 4))\(pad(parts.month, 2))\(pad(parts.day, 2))T"
            + "\(pad(parts.hour, 2))\(pad(parts.minute, 2))\(pad(parts.second, 2))Z"
    }

    private static func civil(_ microseconds: Int64) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    ) {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let date = Timestamp.civilDate(daysSinceEpoch: days)
        return (
            Int(date.year), Int(date.month), Int(date.day), secondOfDay / 3_600, secondOfDay % 3_600 / 60,
            secondOfDay % 60
        )
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
