/// A round at a glance, one row per (target, path) in schedule order: how many samples were ok, the statuses
/// seen, the median of each phase over the answered samples, and the first error. What `probe` prints on a
/// terminal.
public struct RoundSummary: Sendable {
    /// One (target, path) of the round.
    public struct Row: Sendable {
        /// Target name.
        public var target: String
        /// Path name.
        public var path: String
        /// Samples that were `ok`.
        public var ok: Int
        /// Samples taken.
        public var count: Int
        /// The HTTP statuses seen, in order of first appearance.
        public var statuses: [Int]
        /// The median of each phase over the answered samples (those with a status), in microseconds; a phase
        /// is nil when no answered sample has it.
        public var medians: PhaseMedians
        /// The first error of the row's samples, if any.
        public var firstError: SampleError?
    }

    /// Medians of the phases a summary shows, in microseconds (the mean of the two middle values for an even
    /// count, so not always whole).
    public struct PhaseMedians: Sendable, Hashable {
        /// Name lookup.
        public var dns: Double?
        /// TCP connect.
        public var connect: Double?
        /// TLS handshake.
        public var tls: Double?
        /// Server wait.
        public var wait: Double?
        /// Whole transfer.
        public var total: Double?
    }

    /// The rows, in the order of the round's jobs.
    public var rows: [Row]

    /// Summarises `samples` taken for `jobs` (the round's jobs, in schedule order).
    public init(samples: [Sample], jobs: [ProbeJob]) {
        var byJob: [JobKey: [Sample]] = [:]
        for sample in samples {
            byJob[JobKey(target: sample.target, path: sample.path.name), default: []].append(sample)
        }
        rows = jobs.map { job in
            let group = byJob[JobKey(target: job.target.name, path: job.path.name)] ?? []
            var statuses: [Int] = []
            for status in group.compactMap(\.status) where !statuses.contains(status) { statuses.append(status) }
            let answered = group.filter { $0.status != nil }
            func median(_ phase: KeyPath<Phases, Int64?>) -> Double? {
                var values = answered.compactMap { $0.phases[keyPath: phase] }.map(Double.init)
                return Quantiles.continuous(&values, at: [0.5]).first
            }
            return Row(
                target: job.target.name, path: job.path.name, ok: group.filter(\.ok).count, count: group.count,
                statuses: statuses,
                medians: PhaseMedians(
                    dns: median(\.dns), connect: median(\.connect), tls: median(\.tls), wait: median(\.wait),
                    total: median(\.total)),
                firstError: group.compactMap(\.error).first)
        }
    }

    private struct JobKey: Hashable {
        var target: String
        var path: String
    }
}
