import ProbeCore
import Testing

/// Batch ids and day folders as ProbeCore's RoundsAndBatches article gives them: `AGENT-YYYYMMDDTHHMMSSZ-FIRSTSEQ`
/// under `YYYY-MM-DD`.
@Suite("Batch ids")
struct BatchIDTests {
    @Test("Ids and day folders in UTC")
    func ids() {
        let micros: Int64 = 1_795_842_577_123_456  // 2026-11-28T05:09:37.123456Z
        #expect(BatchID.make(agent: "edge-1", microseconds: micros, firstSeq: 42) == "edge-1-20261128T050937Z-42")
        #expect(BatchID.day(micros) == "2026-11-28")
        #expect(BatchID.day(0) == "1970-01-01")
    }

    @Test("Stateless ids share the shape and differ between runs")
    func stateless() {
        let first = BatchID.makeStateless(agent: "a", microseconds: 0)
        let second = BatchID.makeStateless(agent: "a", microseconds: 0)
        #expect(first.hasPrefix("a-19700101T000000Z-r"))
        #expect(first.count == "a-19700101T000000Z-r".count + 8)
        #expect(first != second)
    }
}
