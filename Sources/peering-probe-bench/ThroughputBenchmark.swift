import CurlKit
import Foundation
import ProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Fresh-connection probes per second through the real engine (scheduler, libcurl multi handle, sample
/// building and NDJSON encoding), and client CPU per probe, in the C baseline's output format.
struct ThroughputBenchmark {
    let url: String
    let probes: Int
    let concurrency: Int
    let insecure: Bool
    let caFile: String?

    func run() -> String {
        guard let parsed = try? CurlURL(url) else { return "error=bad-url" }
        var options = TransferOptions(url: parsed.full)
        options.insecure = insecure
        options.caFile = caFile
        let spec = TargetSpec(
            name: parsed.host, url: parsed, method: .get, expect: .default, count: 1,
            spacing: .zero, transfer: options)
        let jobs = (0..<probes).map { _ in ProbeJob(target: spec, path: .default) }
        guard let engine = try? ProbeEngine() else { return "error=libcurl-init" }
        let encoder = SampleEncoder()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var failures = 0
        let cpuBefore = cpuMicroseconds()
        let start = MultiHandle.monotonicMicroseconds()
        var seq: Int64 = 0
        engine.runRound(jobs: jobs, concurrency: concurrency) { outcome in
            seq += 1
            let sample = Sample(
                outcome: outcome, job: jobs[outcome.job], agent: "bench", site: nil, region: nil,
                round: 1, batch: "bench", seq: seq)
            if !sample.ok { failures += 1 }
            encoder.encode(sample, into: &buffer)
            if buffer.count > 1 << 20 { buffer.removeAll(keepingCapacity: true) }
        }
        let seconds = Double(MultiHandle.monotonicMicroseconds() - start) / 1e6
        let cpu = Double(cpuMicroseconds() - cpuBefore)
        let rate = Double(probes) / seconds
        return "probes=\(probes) seconds=\(format(seconds, 3)) probes_per_second=\(format(rate, 1)) "
            + "cpu_us_per_probe=\(format(cpu / Double(probes), 1)) failures=\(failures)"
    }

    private func cpuMicroseconds() -> Int64 {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
            + Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    }

    private func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
