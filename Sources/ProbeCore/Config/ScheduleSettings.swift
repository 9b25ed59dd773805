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

    /// How often `run` repeats egress discovery when nothing else prompted it: five minutes.
    public static let defaultEgressDiscovery: Duration = .seconds(300)

    /// How often `run` repeats egress discovery for the paths without `egress_ip`
    /// (`schedule.egress_discovery`), within ``ConfigLimits/egressDiscovery``; it also repeats it at once when a
    /// path's local address changes.
    public var egressDiscovery: Duration

    /// Makes schedule settings; without arguments, the documented defaults.
    public init(
        interval: Duration = ScheduleSettings.defaultInterval,
        egressDiscovery: Duration = ScheduleSettings.defaultEgressDiscovery
    ) {
        self.interval = interval
        self.egressDiscovery = egressDiscovery
    }
}
