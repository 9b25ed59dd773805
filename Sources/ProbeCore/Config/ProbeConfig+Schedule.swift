extension ProbeConfig {
    /// Findings about the schedule, one per target whose round can take longer than its interval: `count` x
    /// `spacing` + `timeout` (the target's settings, else the defaults) over the target's interval. Such a
    /// target's rounds overrun, and the agent skips the slots they cover. Each warning names the config file,
    /// the target's line and its key path (`targets[2]`); `config check` prints them and `run` logs them at
    /// start and after a reload.
    public func scheduleWarnings() -> [ConfigWarning] {
        targets.indices.compactMap { index in
            let target = targets[index]
            let count = target.count ?? defaults.count
            let spacing = target.spacing ?? defaults.spacing
            let timeout = target.timeout ?? defaults.timeout
            let interval = target.interval ?? schedule.interval
            let longest = spacing * count + timeout
            guard longest > interval else { return nil }
            let source = target.interval == nil ? "schedule.interval" : "its interval"
            let message =
                "target '\(target.name)': a round can take count x spacing + timeout = \(count) x "
                + "\(ConfigValues.text(spacing)) + \(ConfigValues.text(timeout)) = \(ConfigValues.text(longest)), "
                + "longer than \(source) \(ConfigValues.text(interval)); such rounds overrun and the next one "
                + "starts at the next free slot"
            return ConfigWarning(
                source: self.source, line: target.line > 0 ? target.line : nil, key: "targets[\(index)]",
                message: message)
        }
    }
}
