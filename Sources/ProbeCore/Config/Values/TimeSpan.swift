/// A duration as the config file and the command line spell it: a number and a unit, `500ms`, `10s`, `1.5s`,
/// `5m`, `1h`, `2d`.
///
/// One type for both, so that `spacing: 100ms` in a config and `--spacing 100ms` on the command line accept
/// exactly the same text. A bare number is refused: which unit would it be?
public struct TimeSpan: Sendable, Hashable, LosslessStringConvertible {
    /// The duration.
    public var duration: Duration

    /// Wraps a duration.
    public init(_ duration: Duration) {
        self.duration = duration
    }

    /// Parses `text`; nil when it is not a number with one of the units ms, s, m, h and d.
    public init?(_ text: String) {
        guard let duration = ConfigValues.duration(text) else { return nil }
        self.duration = duration
    }

    /// Parses `text` as a time limit: a duration as above, or a bare number of seconds (`10`, `2.5`), the way
    /// curl's `--max-time` reads it. Nil for anything else, and for a limit that is not more than zero.
    public init?(limit text: String) {
        if let span = TimeSpan(text) {
            self = span
        } else if let seconds = TimeSpan(text + "s") {
            self = seconds
        } else {
            return nil
        }
        guard duration > .zero else { return nil }
    }

    /// The shortest config spelling: `2d`, `1h`, `5m`, `10s`, `1.5s`, `500ms`.
    public var description: String { ConfigValues.text(duration) }
}
