/// The `schedule` section: how often the continuous agent (`peering-probe run`) starts each target's round.
///
/// A target's own `interval` wins over ``interval``; ``ProbeConfig/targetSpecs(overrides:)`` resolves the two into
/// ``TargetSpec/interval``. `probe` runs one round and ignores the schedule.
public struct ScheduleSettings: Sendable, Hashable {
    /// The interval when the config sets none: a minute.
    public static let defaultInterval: Duration = .seconds(60)

    /// Time between the starts of two rounds of one target (`schedule.interval`), within
    /// ``ConfigLimits/interval``.
    public var interval: Duration

    /// Makes schedule settings; without arguments, the documented default.
    public init(interval: Duration = ScheduleSettings.defaultInterval) {
        self.interval = interval
    }
}
