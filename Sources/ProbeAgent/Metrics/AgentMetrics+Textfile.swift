import CurlKit
public import ProbeCore

extension AgentMetrics {
    /// The series of one `probe` run, for `probe --textfile`: the run's samples recorded into fresh
    /// metrics without the agent-wide series, one round counted for each target that has samples, and its
    /// last round time set to `wallClockSeconds` (Unix time; nil reads the clock now).
    public static func forRun(_ samples: [Sample], version: String, wallClockSeconds: Double? = nil) -> AgentMetrics {
        let metrics = AgentMetrics(version: version, agentSeries: false)
        metrics.record(samples)
        let finished = wallClockSeconds ?? Double(MultiHandle.wallClockMicroseconds()) / 1_000_000
        let now = MultiHandle.monotonicMicroseconds()
        var seen: Set<String> = []
        for sample in samples where seen.insert(sample.target).inserted {
            metrics.roundFinished(target: sample.target, wallClockSeconds: finished, monotonicMicroseconds: now)
        }
        return metrics
    }

    /// Writes ``exposition()`` to `path` for node_exporter's textfile collector, atomically: a temporary file of
    /// its own in the same folder (a hidden name the collector's `*.prom` pattern does not match), flushed,
    /// then renamed over `path`, so a scrape never reads half a file. Throws when the folder is missing or not
    /// writable (an environment fault).
    public func writeTextfile(to path: String) throws(SpoolError) {
        try FileIO.finish(try FileIO.createTemporary(for: path), with: exposition(), at: path, exclusive: false)
    }
}
