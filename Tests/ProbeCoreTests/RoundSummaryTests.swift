import CurlKit
import ProbeCore
import Testing

/// The probe summary's figures: medians over answered samples, by the one quantile implementation.
@Suite("round summary")
struct RoundSummaryTests {
    private static func job(_ target: String, _ path: String) throws -> ProbeJob {
        let spec = TargetSpec(
            name: target, url: try CurlURL("http://127.0.0.1/"), method: .get, expect: StatusSet([200...299]),
            count: 3, spacing: .zero, transfer: TransferOptions(url: "http://127.0.0.1/"))
        return ProbeJob(target: spec, path: PathTags(name: path, type: .internet))
    }

    private static func sample(
        _ target: String, _ path: String, status: Int?, total: Int64?, error: SampleError? = nil
    ) -> Sample {
        var sample = SampleEncoderTests.sample(error: error, phases: Phases(dns: total.map { $0 / 10 }, total: total))
        sample.target = target
        sample.path = PathTags(name: path, type: .internet)
        sample.status = status
        sample.ok = status == 200
        return sample
    }

    @Test("an even count's median is the mean of the two middle values, not truncated")
    func evenMedian() throws {
        let samples = [
            Self.sample("a", "isp1", status: 200, total: 1_000),
            Self.sample("a", "isp1", status: 503, total: 2_001),
            Self.sample(
                "a", "isp1", status: nil, total: 9_000_000,
                error: SampleError(kind: .timeout, code: 28, message: "timed out")),
        ]
        let summary = RoundSummary(samples: samples, jobs: [try Self.job("a", "isp1")])
        let row = try #require(summary.rows.first)
        #expect(row.medians.total == 1_500.5, "unanswered samples are left out; 1000 and 2001 average to 1500.5")
        #expect(row.medians.dns == 150)
        #expect(row.medians.tls == nil)
        #expect(row.ok == 1)
        #expect(row.count == 3)
        #expect(row.statuses == [200, 503])
        #expect(row.firstError?.kind == .timeout)
    }

    @Test("rows follow the jobs; a job with no samples has empty figures")
    func rowsFollowJobs() throws {
        let samples = [
            Self.sample("b", "isp2", status: 200, total: 7_000), Self.sample("a", "isp1", status: 200, total: 5),
        ]
        let summary = RoundSummary(
            samples: samples, jobs: [try Self.job("a", "isp1"), try Self.job("b", "isp2"), try Self.job("c", "isp1")])
        #expect(summary.rows.map(\.target) == ["a", "b", "c"])
        #expect(summary.rows.map(\.medians.total) == [5, 7_000, nil])
        #expect(summary.rows[2].count == 0)
    }
}
