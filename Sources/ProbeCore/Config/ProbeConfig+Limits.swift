extension ProbeConfig {
    /// Samples one round takes: for each target, its `count` (or `count`, when given, for every target) times
    /// the paths it is probed over; saturates at `Int.max` rather than overflowing.
    public func roundSampleCount(count override: Int? = nil) -> Int {
        var total = 0
        for target in targets {
            let count = override ?? target.count ?? defaults.count
            let paths = effectivePaths.count { path in target.paths?.contains(path.name) ?? true }
            let (samples, overflow1) = count.multipliedReportingOverflow(by: paths)
            let (sum, overflow2) = total.addingReportingOverflow(samples)
            if overflow1 || overflow2 { return .max }
            total = sum
        }
        return total
    }

    /// Checks that one round, with `count` (a `--count` flag) applied when given, stays within
    /// ``ConfigLimits/roundSamples``; call it before anything is reserved or allocated for the round.
    ///
    /// - Throws: ``ConfigError`` naming the config, for a usage error (exit 2).
    public func checkRoundSize(count override: Int? = nil) throws(ConfigError) {
        if let problem = ConfigLimits.roundProblem(samples: roundSampleCount(count: override)) {
            throw ConfigError(source: source, message: problem)
        }
    }
}
