import ProbeCore
import Testing

@testable import ProbeReport

/// Counting distinct values within a cap: the slices of several passes together are exactly the counts of one.
@Suite("Lane counts")
struct LaneCountsTests {
    /// Runs `LaneCounts` over `values` (value, lane) with `cap`, returning the totals, the concatenated slices and
    /// the passes made.
    private static func count(_ values: [(Int64, Int)], cap: Int) throws -> (
        totals: [Int], entries: [LaneCounts.Entry], slices: Int, passes: Int
    ) {
        var counts = LaneCounts()
        var totals: [Int] = []
        var entries: [LaneCounts.Entry] = []
        var slices = 0
        try counts.forEachSlice(cap: cap) { add throws(ReportError) in
            for (value, lane) in values { add(value, lane) }
        } begin: { first, second throws(ReportError) in
            totals = [first, second]
            return true
        } slice: { slice throws(ReportError) in
            slices += 1
            entries += slice
        }
        return (totals, entries, slices, counts.passes)
    }

    /// The expected entries, by a plain dictionary.
    private static func expected(_ values: [(Int64, Int)]) -> [LaneCounts.Entry] {
        var byValue: [Int64: (Int, Int)] = [:]
        for (value, lane) in values {
            var entry = byValue[value] ?? (0, 0)
            if lane == 0 { entry.0 += 1 } else { entry.1 += 1 }
            byValue[value] = entry
        }
        return byValue.keys.sorted().map { ($0, byValue[$0]!.0, byValue[$0]!.1) }
    }

    private static func same(_ a: [LaneCounts.Entry], _ b: [LaneCounts.Entry]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { $0.value == $1.value && $0.first == $1.first && $0.second == $1.second }
    }

    @Test(
        "Values past the cap are counted in slices of the range, one pass each, and come out as one pass would",
        arguments: [
            ("skewed latencies", 0), ("all distinct", 1), ("signed differences", 2), ("one value", 3),
            ("huge range", 4),
        ])
    func slicesEqualOnePass(name: String, shape: Int) throws {
        var random = SplitMix64(seed: 77 + UInt64(shape))
        let values: [(Int64, Int)] = (0..<40_000).map { index in
            let lane = Int(random.next() % 2)
            switch shape {
            case 0: return (20_000 + Int64(random.next() % 5_000) * Int64(random.next() % 7), lane)
            case 1: return (Int64(index) * 3 + 1_000, lane)
            case 2: return (Int64(random.next() % 60_001) - 30_000, lane)
            case 3: return (42, lane)
            default: return (Int64(bitPattern: random.next()) >> Int64(random.next() % 40), lane)
            }
        }
        let whole = try Self.count(values, cap: 1_000_000)
        #expect(whole.passes == 1 && whole.slices == 1)
        #expect(Self.same(whole.entries, Self.expected(values)), "\(name)")
        #expect(whole.totals[0] + whole.totals[1] == values.count)
        let sliced = try Self.count(values, cap: 1_024)
        #expect(Self.same(sliced.entries, whole.entries), "\(name): the slices cover every value once, in order")
        #expect(sliced.totals == whole.totals)
        if whole.entries.count > 1_024 {
            #expect(sliced.passes == sliced.slices + 2, "\(name): a pass to count, one to plan, one per slice")
            // A coarse bucket holds at most its count and its width of distinct values: on a narrow range the
            // slices hold about the cap each; on a huge one a single bucket may hold more (and is one slice).
            #expect(sliced.slices >= 2, "\(name): \(sliced.slices) slices")
            if shape != 4 {
                #expect(sliced.slices >= whole.entries.count / 1_024, "\(name): \(sliced.slices) slices")
            }
        } else {
            #expect(sliced.passes == 1)
        }
    }

    @Test("begin can decline the values: no further pass is made")
    func declined() throws {
        var counts = LaneCounts()
        var slices = 0
        try counts.forEachSlice(cap: 1_024) { add throws(ReportError) in
            for value in 0..<5_000 { add(Int64(value), 0) }
        } begin: { _, _ throws(ReportError) in
            false
        } slice: { _ throws(ReportError) in
            slices += 1
        }
        #expect(slices == 0 && counts.passes == 1)
    }
}
