/// The jobs of one round: every target over each of its paths, target-major so that the paths of one
/// target start together, each path with the tags decided from what is known of its egress.
///
/// Plan a round after egress discovery (``discoverEgress(config:overrides:engine:)``), then run its
/// ``jobs`` with a ``RoundRunner``.
public struct RoundPlan: Sendable {
    /// The round's jobs, in schedule order (target-major).
    public var jobs: [ProbeJob]
    /// Things the user should know about the paths (an egress in another provider's prefix).
    public var warnings: [String]

    /// How many samples the round yields: every job's `count`.
    public var sampleCount: Int { jobs.reduce(0) { $0 + $1.target.count } }

    /// Plans the round of `config` with `overrides` applied; each path's egress is taken from `egress`, with
    /// `discovered` (this run's egress discovery, by path name) winning over remembered addresses.
    public init(
        config: ProbeConfig, overrides: ProbeOverrides = ProbeOverrides(), egress: EgressState,
        discovered: [String: IPAddress] = [:]
    ) {
        let tagger = PathTagger(providers: config.providers)
        var warnings: [String] = []
        let paths = config.effectivePaths.map { path in
            let (tags, warning) = tagger.tags(
                for: path, egress: egress.egress(for: path, discoveredNow: discovered[path.name]))
            if let warning { warnings.append(warning) }
            return (path, tags)
        }
        var jobs: [ProbeJob] = []
        for target in config.targetSpecs(overrides: overrides) {
            for (path, tags) in paths where target.uses(path: path.name) {
                jobs.append(ProbeJob(target: target, path: tags, interface: overrides.interface ?? path.bind))
            }
        }
        self.jobs = jobs
        self.warnings = warnings
    }

    /// Runs ``EgressDiscovery`` over the paths of `config` that have no configured egress address; returns
    /// the addresses found, by path name (a path whose discovery failed or that has none is left out).
    public static func discoverEgress(
        config: ProbeConfig, overrides: ProbeOverrides = ProbeOverrides(), engine: ProbeEngine
    ) -> [String: IPAddress] {
        EgressDiscovery().discover(
            paths: config.effectivePaths.filter { $0.egressIP == nil }, engine: engine,
            insecure: overrides.insecure ?? config.defaults.insecure, caFile: overrides.caFile ?? config.defaults.caFile
        )
    }
}
