import CurlKit
import ProbeCore
import TestSupport
import Testing

/// Runs probes through the real engine against loopback servers and returns samples, for the tests.
enum ProbeHarness {
    /// A target spec for `url` with test-friendly defaults (1 sample, no spacing, short timeouts).
    static func spec(
        _ url: String, name: String = "t", count: Int = 1, spacing: Duration = .zero, insecure: Bool = false,
        caFile: String? = nil, timeout: Duration = .seconds(5), method: HTTPMethod = .get,
        expect: StatusSet = .default, resolve: [String] = []
    ) throws -> TargetSpec {
        let parsed = try CurlURL(url)
        var options = TransferOptions(url: parsed.full)
        options.insecure = insecure
        options.caFile = caFile
        options.timeoutMilliseconds = timeout.wholeMilliseconds
        options.connectTimeoutMilliseconds = min(timeout.wholeMilliseconds, 5_000)
        options.head = method == .head
        options.resolve = resolve
        return TargetSpec(
            name: name, url: parsed, method: method, expect: expect, count: count, spacing: spacing,
            transfer: options)
    }

    /// Runs one round of `jobs` and returns the samples in completion order.
    static func run(_ jobs: [ProbeJob], concurrency: Int = 8) throws -> [Sample] {
        let engine = try ProbeEngine()
        var samples: [Sample] = []
        engine.runRound(jobs: jobs, concurrency: concurrency) { outcome in
            samples.append(
                Sample(
                    outcome: outcome, job: jobs[outcome.job], agent: "test", site: nil, region: nil,
                    round: 1, batch: "b", seq: Int64(samples.count + 1)))
        }
        return samples
    }

    /// Runs `spec` alone over the default path and returns its samples.
    static func run(_ spec: TargetSpec) throws -> [Sample] {
        try run([ProbeJob(target: spec, path: .default)])
    }

    /// Milliseconds of a phase, for assertions.
    static func ms(_ micros: Int64?) -> Double? {
        micros.map { Double($0) / 1_000 }
    }

    /// True when `measured` is within max(3 ms, 10%) of `expected`: the tolerance for injected delays.
    static func close(_ measured: Int64?, to expected: Double) -> Bool {
        guard let measured = ms(measured) else { return false }
        return abs(measured - expected) <= max(3, expected * 0.1)
    }

    /// True when the server logged that it took at least the `expected` delay (`served`, µs) and `measured`
    /// (µs) is within max(3 ms, 10% of `expected`) of what it took: the phase holds the injected delay, and
    /// the client added no more than the tolerance to what the server really did. A loaded machine can make
    /// the server late; that lateness is in both `measured` and `served`, so it cancels out.
    static func close(_ measured: Int64?, toServed served: Int64?, expected: Double) -> Bool {
        guard let measured = ms(measured), let served = ms(served), served >= expected else { return false }
        return abs(measured - served) <= max(3, expected * 0.1)
    }

    /// What the loopback server logged for the connection `sample` came on, matched by the client's port.
    static func served(_ sample: Sample, by server: LoopbackServer) throws -> LoopbackServer.ServedTiming {
        guard let port = sample.localPort else { throw TestSupportError("sample without local_port") }
        return try server.served(port: port)
    }

    /// Probes `spec` once and returns the sample with what the loopback server logged for it.
    static func servedSample(
        _ spec: TargetSpec, by server: LoopbackServer
    ) throws -> (sample: Sample, served: LoopbackServer.ServedTiming) {
        let sample = try #require(try run(spec).first)
        return (sample, try served(sample, by: server))
    }

    /// The median of some microsecond values.
    static func median(_ values: [Int64]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1
            ? Double(sorted[middle]) / 1_000 : Double(sorted[middle - 1] + sorted[middle]) / 2_000
    }

    /// Sum of the six phases, nils as 0.
    static func phaseSum(_ phases: Phases) -> Int64 {
        [phases.dns, phases.connect, phases.tls, phases.request, phases.wait, phases.transfer]
            .reduce(0) { $0 + ($1 ?? 0) }
    }
}
