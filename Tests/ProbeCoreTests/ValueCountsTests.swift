import ProbeCore
import TestSupport
import Testing

/// Counts of distinct values give the same exact quantiles and midranks as the full list, on random and
/// adversarial series: heavy ties, a single distinct value, one sample, every value distinct.
@Suite("Value counts")
struct ValueCountsTests {
    static let levels = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0]

    /// The series the tests try, each named.
    static func series() -> [(String, [Int64])] {
        var generator = SeededGenerator(seed: 11)
        let random = (0..<20_000).map { _ in Int64.random(in: 1_000...250_000, using: &generator) }
        let ties = (0..<20_000).map { _ in Int64.random(in: 10...14, using: &generator) * 1_000 }
        let skewed = (0..<5_000).map { index in index % 97 == 0 ? Int64(2_000_000) : Int64(20_000 + index % 7) }
        return [
            ("random", random), ("heavy ties", ties), ("skewed with a long tail", skewed),
            ("a single distinct value", [Int64](repeating: 42_000, count: 999)), ("one sample", [7]),
            ("two samples", [5, 9]), ("all distinct", (0..<1_001).map { Int64($0 * 3) }.shuffled(using: &generator)),
        ]
    }

    @Test("Quantiles from counts equal Quantiles over the full list", arguments: series())
    func quantiles(name: String, values: [Int64]) {
        var counts = ValueCounts(values)
        var list = values.map { UInt32($0) }
        let expected = Quantiles.continuous(&list, at: Self.levels)
        #expect(counts.quantiles(Self.levels) == expected, "\(name)")
        #expect(counts.count == values.count && counts.distinctCount == Set(values).count)
    }

    @Test("Midranks from counts equal the mean ranks of tied values in the sorted list", arguments: series())
    func midranks(name: String, values: [Int64]) {
        var counts = ValueCounts(values)
        let (ranks, tieTerm) = counts.midranks()
        let sorted = values.sorted()
        var expected: [Int64: Double] = [:]
        var expectedTie = 0.0
        var start = 0
        while start < sorted.count {
            var end = start
            while end < sorted.count && sorted[end] == sorted[start] { end += 1 }
            expected[sorted[start]] = Double(start + 1 + end) / 2
            let t = Double(end - start)
            expectedTie += t * t * t - t
            start = end
        }
        #expect(ranks.count == expected.count, "\(name)")
        #expect(ranks.allSatisfy { expected[$0.value] == $0.midrank }, "\(name)")
        #expect(ranks.map(\.value) == ranks.map(\.value).sorted())
        #expect(tieTerm == expectedTie, "\(name)")
    }

    @Test("Merging two series counts every value of both; an empty series has no quantile")
    func merge() {
        var first = ValueCounts([1, 2, 2, 3])
        let second = ValueCounts([2, 5])
        first.merge(second)
        #expect(first.count == 6 && first.ascending().map(\.count) == [1, 3, 1, 1])
        #expect(first == ValueCounts([5, 3, 2, 2, 2, 1]))
        var empty = ValueCounts()
        #expect(empty.quantiles([0.5]).isEmpty && empty.midranks().ranks.isEmpty)
    }
}
