import Foundation
import ProbeCore
import ProbeReport
import TestSupport
import Testing

/// Quantiles by selection against DuckDB's `quantile_cont` (the oracle) and against a sort-based reference.
@Suite("Quantiles")
struct QuantileTests {
    /// The levels the report uses, deliberately out of order so that the result order is checked too.
    static let levels = [0.5, 0, 0.99, 0.1, 1, 0.9, 0.95]

    @Test("Integer microseconds equal DuckDB's quantile_cont over a UINTEGER column")
    func integersAgainstDuckDB() throws {
        var random = SeededGenerator(seed: 0x51)
        let sets: [(name: String, values: [UInt32])] = [
            ("n = 1", [42_000]),
            ("n = 2", [31_250, 10_000]),
            ("n = 3 with a tie", [7, 3, 7]),
            ("random", (0..<10_001).map { _ in UInt32.random(in: 1_000...900_000, using: &random) }),
            ("heavy ties", (0..<50_000).map { _ in 20_000 + 1_000 * UInt32.random(in: 0..<12, using: &random) }),
            ("sorted", (0..<5_000).map { UInt32($0 * 3) }),
            ("reversed", (0..<5_000).map { UInt32(20_000 - $0 * 2) }),
            ("all equal", [UInt32](repeating: 12_345, count: 1_000)),
            ("extremes", [0, .max, 1, .max - 1, .max, 0]),
            ("large, latency-like", Self.latencies(count: 100_000, using: &random)),
        ]
        let expected = try Self.duckDB(sets.map { DataSet(name: $0.name, integers: $0.values) })
        for (set, want) in zip(sets, expected) {
            var values = set.values
            let got = Quantiles.continuous(&values, at: Self.levels)
            Self.expectClose(got, want, set.name)
            #expect(values.sorted() == set.values.sorted(), "\(set.name): not a permutation any more")
        }
    }

    @Test("Doubles (paired differences, bootstrap statistics) equal DuckDB's quantile_cont over a DOUBLE column")
    func doublesAgainstDuckDB() throws {
        var random = SeededGenerator(seed: 0x52)
        let sets: [(name: String, values: [Double])] = [
            ("n = 1", [-3.25]),
            ("n = 2", [4.5, -1.125]),
            ("random, both signs", (0..<10_001).map { _ in Double.random(in: -50...80, using: &random) }),
            (
                "ties, rounded to 0.1 ms",
                (0..<20_000).map { _ in
                    (Double.random(in: -5...5, using: &random) * 10).rounded() / 10
                }
            ),
            ("many zeros", (0..<3_000).map { index in index % 3 == 0 ? 0 : Double(index % 7) - 3 }),
            ("sorted", (0..<4_000).map { Double($0) / 8 - 100 }),
            ("reversed", (0..<4_000).map { 100 - Double($0) / 8 }),
            ("large", Self.latencies(count: 100_000, using: &random).map { Double($0) / 1_000 - 60 }),
        ]
        let expected = try Self.duckDB(sets.map { DataSet(name: $0.name, doubles: $0.values) })
        for (set, want) in zip(sets, expected) {
            var values = set.values
            let got = Quantiles.continuous(&values, at: Self.levels)
            Self.expectClose(got, want, set.name)
            #expect(values.sorted() == set.values.sorted(), "\(set.name): not a permutation any more")
        }
    }

    @Test("Selection equals a full sort and the same interpolation, on 3,000 random small inputs")
    func againstSortedReference() {
        var random = SeededGenerator(seed: 0x53)
        var failures = 0
        for trial in 0..<3_000 {
            let count = Int.random(in: 1...(trial < 2_500 ? 80 : 2_000), using: &random)
            let distinct = trial % 4 == 0 ? Int.random(in: 1...4, using: &random) : count * 4
            var values = (0..<count).map { _ in Double(Int.random(in: 0..<distinct, using: &random)) / 4 }
            switch trial % 5 {
            case 1: values.sort()
            case 2: values.sort(by: >)
            default: break
            }
            // Levels that land on adjacent and equal ranks, in any order, repeated.
            let levels = (0..<Int.random(in: 1...9, using: &random)).map { _ in
                random.next() % 3 == 0
                    ? Double(Int.random(in: 0...10, using: &random)) / 10 : Double.random(in: 0...1, using: &random)
            }
            var selected = values
            let got = Quantiles.continuous(&selected, at: levels)
            let want = Self.sortedReference(values, at: levels)
            if got != want {
                failures += 1
                if failures <= 5 { Issue.record("\(values) at \(levels): \(got), want \(want)") }
            }
        }
        #expect(failures == 0)
    }

    @Test("Median: the middle value, or the mean of the two middle ones")
    func median() {
        var odd = [9.0, 1, 5, 3, 7]
        #expect(Quantiles.median(&odd) == 5)
        var even = [4.0, 1, 3, 2]
        #expect(Quantiles.median(&even) == 2.5)
        var single = [-7.5]
        #expect(Quantiles.median(&single) == -7.5)
        var ties = [2.0, 2, 2, 9, 2, 2]
        #expect(Quantiles.median(&ties) == 2)
        var random = SeededGenerator(seed: 0x54)
        let values = (0..<10_000).map { _ in Double.random(in: 0...100, using: &random) }
        var copy = values
        #expect(Quantiles.median(&copy) == Self.sortedReference(values, at: [0.5])[0])
    }

    @Test("Edges: no values give no quantiles, no levels give none, one level repeated gives it each time")
    func edges() {
        var empty: [UInt32] = []
        #expect(Quantiles.continuous(&empty, at: [0.5, 0.9]).isEmpty)
        var none: [Double] = []
        #expect(Quantiles.continuous(&none, at: [0.5]).isEmpty)
        var values: [UInt32] = [30, 10, 20, 40]
        #expect(Quantiles.continuous(&values, at: []).isEmpty)
        #expect(Quantiles.continuous(&values, at: [0.5, 0.5, 0, 0.5]) == [25, 25, 10, 25])
        #expect(Quantiles.continuous(&values, at: [1, 0.25, 0.75]) == [40, 17.5, 32.5])
    }

    // MARK: - Helpers

    /// Latency-like microseconds: a base near 20 ms, a long tail, and whole milliseconds for a fifth of them
    /// (some servers answer in round numbers), so that ties are common.
    static func latencies(count: Int, using random: inout SeededGenerator) -> [UInt32] {
        (0..<count).map { index in
            let tail = -log(Double.random(in: Double.ulpOfOne...1, using: &random)) * 8_000
            let value = 20_000 + UInt32(min(tail, 2_000_000))
            return index % 5 == 0 ? value / 1_000 * 1_000 : value
        }
    }

    /// The quantiles by sorting and the same interpolation `x[lo] + (h - lo) * (x[hi] - x[lo])`.
    static func sortedReference(_ values: [Double], at levels: [Double]) -> [Double] {
        let sorted = values.sorted()
        return levels.map { level in
            let position = Double(sorted.count - 1) * level
            let low = Int(position.rounded(.down))
            let high = Int(position.rounded(.up))
            return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
        }
    }

    /// Expects `got` to equal `want` within 1e-9 relative (1e-9 absolute below magnitude 1: DuckDB
    /// interpolates as `lo * (1 - d) + hi * d`, which can leave a rounding residue where the answer is 0).
    static func expectClose(_ got: [Double], _ want: [Double], _ name: String) {
        #expect(got.count == want.count, "\(name)")
        for (index, (value, expected)) in zip(got, want).enumerated() {
            let tolerance = 1e-9 * max(1, abs(expected))
            #expect(abs(value - expected) <= tolerance, "\(name), q = \(levels[index]): \(value) vs DuckDB \(expected)")
        }
    }

    /// One data set for the DuckDB oracle: a UINTEGER or a DOUBLE column.
    struct DataSet: Encodable {
        /// What the set is, for failure messages (not sent).
        var name: String
        /// Microseconds for a UINTEGER column.
        var integers: [UInt32]?
        /// Values for a DOUBLE column.
        var doubles: [Double]?

        /// An integer set.
        init(name: String, integers: [UInt32]) {
            self.name = name
            self.integers = integers
        }

        /// A double set.
        init(name: String, doubles: [Double]) {
            self.name = name
            self.doubles = doubles
        }

        /// The oracle's field names.
        enum CodingKeys: String, CodingKey { case type, values }

        /// `{"type": "UINTEGER" | "DOUBLE", "values": [...]}`.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if let integers {
                try container.encode("UINTEGER", forKey: .type)
                try container.encode(integers, forKey: .values)
            } else {
                try container.encode("DOUBLE", forKey: .type)
                try container.encode(doubles ?? [], forKey: .values)
            }
        }
    }

    /// DuckDB's `quantile_cont(v, levels)` for each set, from `Oracles/duckdb_quantiles.py`.
    static func duckDB(_ sets: [DataSet]) throws -> [[Double]] {
        /// The oracle's input.
        struct Request: Encodable {
            /// The levels, in the order results come back.
            var quantiles: [Double]
            /// The data sets.
            var sets: [DataSet]
        }
        let input = try JSONEncoder().encode(Request(quantiles: levels, sets: sets))
        let output = try PythonOracle.run(script: PythonOracle.script("duckdb_quantiles.py"), input: input)
        let results = try JSONDecoder().decode([[Double]].self, from: Data(output.utf8))
        #expect(results.count == sets.count)
        return results
    }
}
