package import CurlKit

/// Egress discovery: fetches each path's discovery URL over that path (bound like its probes) and reads
/// the caller's public address from the body. Used before a round, so that tags are decided up front.
package struct EgressDiscovery: Sendable {
    /// Limit for each discovery fetch: short, so that a dead discovery service never delays a round much.
    package var timeout: Duration

    /// Makes a discovery with the given limit.
    package init(timeout: Duration = .seconds(2)) {
        self.timeout = timeout
    }

    /// The addresses discovered for the paths that have a discovery URL, by path name; a path whose
    /// discovery failed (no answer, not 2xx, not an address) is left out.
    package func discover(
        paths: [PathConfig], engine: ProbeEngine, insecure: Bool = false,
        caFile: String? = nil
    ) -> [String: IPAddress] {
        let jobs = jobs(paths: paths, insecure: insecure, caFile: caFile)
        var found: [String: IPAddress] = [:]
        engine.runRound(jobs: jobs, concurrency: max(1, jobs.count)) { outcome in
            if let address = Self.address(in: outcome.report) { found[jobs[outcome.job].path.name] = address }
        }
        return found
    }

    /// One discovery fetch per path that has a discovery URL, bound like the path's probes; each job's
    /// ``ProbeJob/path`` names its path. For a caller that runs them in its own rounds.
    package func jobs(paths: [PathConfig], insecure: Bool = false, caFile: String? = nil) -> [ProbeJob] {
        var jobs: [ProbeJob] = []
        for path in paths {
            guard let url = path.egressDiscovery else { continue }
            var options = TransferOptions(url: url.full)
            options.timeoutMilliseconds = timeout.wholeMilliseconds
            options.connectTimeoutMilliseconds = timeout.wholeMilliseconds
            options.keepBodyBytes = 128
            options.maxBodyBytes = 4_096
            options.insecure = insecure
            options.caFile = caFile
            let spec = TargetSpec(
                name: "egress-discovery", url: url, method: .get, expect: StatusSet([200...299]),
                count: 1, spacing: .zero, transfer: options)
            jobs.append(ProbeJob(target: spec, path: PathTags(name: path.name, type: .unknown), interface: path.bind))
        }
        return jobs
    }

    /// The address a discovery fetch answered with: a 2xx body that is one IP address, surrounding white
    /// space aside; nil otherwise.
    package static func address(in report: TransferReport) -> IPAddress? {
        guard report.succeeded, (200...299).contains(report.status) else { return nil }
        var text = Substring(String(decoding: report.body, as: UTF8.self))
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return IPAddress(String(text))
    }
}
