/// The ranges every number of the config and of the command line must fall in (the README's "Limits").
///
/// One definition for both: the config loader checks a value against these ranges, and the command line's
/// `validate()` checks its flags against the same ones, so `config check` and `probe --count` agree.
public enum ConfigLimits {
    /// `count`: samples per (target, path) per round.
    public static let count: ClosedRange<Int> = 1...10_000
    /// `spacing`: the pause between samples of one (target, path), from none to an hour.
    public static let spacing: ClosedRange<Duration> = .zero...(.seconds(3_600))
    /// `timeout` and `connect_timeout`: more than zero, at most ten minutes.
    public static let timeout: ClosedRange<Duration> = .nanoseconds(1)...(.seconds(600))
    /// `concurrency`: transfers in flight at most.
    public static let concurrency: ClosedRange<Int> = 1...1_000
    /// `max_bytes`: body bytes read per transfer, one byte to one GiB.
    public static let maxBytes: ClosedRange<Int64> = 1...(1 << 30)
    /// `output.batch_size`: samples in one batch.
    public static let batchSize: ClosedRange<Int> = 1...1_000_000
    /// `output.batch_age`: how old a batch's first sample may get, more than zero and at most a day.
    public static let batchAge: ClosedRange<Duration> = .nanoseconds(1)...(.seconds(86_400))
    /// `output.retention`: how long batches are kept, more than zero and at most ten years (3650 days).
    public static let retention: ClosedRange<Duration> = .nanoseconds(1)...(.seconds(3_650 * 86_400))
    /// `output.retention_size`: how many bytes of finished batches are kept, 1 MiB to 1 PiB.
    public static let retentionSize: ClosedRange<Int64> = (1 << 20)...(1 << 50)
    /// `output.buffer`: samples held in memory while the disk fails, 1 to 10 million.
    public static let buffer: ClosedRange<Int> = 1...10_000_000
    /// `schedule.interval` and a target's `interval`: how often a target's round starts, 100ms to a day.
    public static let interval: ClosedRange<Duration> = .milliseconds(100)...(.seconds(86_400))
    /// `schedule.egress_discovery`: how often `run` repeats egress discovery, a second to a day.
    public static let egressDiscovery: ClosedRange<Duration> = .seconds(1)...(.seconds(86_400))
    /// Samples in one round at most: the sum over targets of `count` times the paths the target is probed over.
    public static let roundSamples = 1_000_000
    /// Characters in an agent id (the config's `agent`, or the host name standing in for it).
    public static let agentLength: ClosedRange<Int> = 1...64

    /// Why `value` is outside `range`, like `must be from 1 to 10000, got 0`; nil when it is inside.
    public static func problem<Value: BinaryInteger>(_ value: Value, in range: ClosedRange<Value>) -> String? {
        guard !range.contains(value) else { return nil }
        return "must be from \(range.lowerBound) to \(range.upperBound), got \(value)"
    }

    /// Why `value` is outside `range`, like `must be more than 0s and at most 10m, got 1h`, quoting `written`
    /// (the text as the user wrote it) when given; nil when inside.
    public static func problem(_ value: Duration, in range: ClosedRange<Duration>, written: String? = nil) -> String? {
        guard !range.contains(value) else { return nil }
        return "must be \(describe(range)), got " + (written.map { "'\($0)'" } ?? ConfigValues.text(value))
    }

    /// `from 0s to 1h`, or `more than 0s and at most 10m` for a range that excludes zero.
    public static func describe(_ range: ClosedRange<Duration>) -> String {
        let upper = ConfigValues.text(range.upperBound)
        if range.lowerBound > .zero && range.lowerBound <= .nanoseconds(1) {
            return "more than 0s and at most \(upper)"
        }
        return "from \(ConfigValues.text(range.lowerBound)) to \(upper)"
    }

    /// Why `id` cannot be an agent id, or nil when it can: 1 to 64 characters of `A-Z a-z 0-9 . - _`, starting
    /// with a letter or digit (it names a folder and every batch file).
    public static func agentIDProblem(_ id: String) -> String? {
        let safe = id.unicodeScalars.allSatisfy { char in
            ("a"..."z").contains(char) || ("A"..."Z").contains(char) || ("0"..."9").contains(char)
                || char == "." || char == "-" || char == "_"
        }
        let start = id.unicodeScalars.first
        let startsWell = start.map { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        guard safe, startsWell == true else {
            return "agent id '\(id)' may use only letters, digits, '.', '-' and '_', starting"
                + " with a letter or digit (it names folders and batch files)"
        }
        guard agentLength.contains(id.utf8.count) else {
            return "agent id '\(id)' is \(id.utf8.count) characters long; at most \(agentLength.upperBound) are"
                + " allowed (it names folders and batch files)"
        }
        return nil
    }

    /// Why a round of `samples` samples is too large, or nil when it fits ``roundSamples``.
    public static func roundProblem(samples: Int) -> String? {
        guard samples > roundSamples else { return nil }
        return "one round would take \(samples) samples (count x targets x paths); at most \(roundSamples) are"
            + " allowed: lower count, or split the targets over several configs"
    }
}
