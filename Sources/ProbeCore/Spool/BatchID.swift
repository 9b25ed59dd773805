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
