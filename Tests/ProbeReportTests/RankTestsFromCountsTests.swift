import Foundation
import ProbeCore
import ProbeReport
import TestSupport
import Testing

/// Mann-Whitney U and Wilcoxon signed-rank from counts of distinct whole-microsecond values: the same results as
/// the tests over the samples in milliseconds and as SciPy, on random and adversarial data, whether the counts
/// come in one slice or many; and the counted series' quantiles against DuckDB on the same data.
@Suite("Rank tests from counts")
struct RankTestsFromCountsTests {
    /// Two samples of microseconds, named.
    struct TwoSamples: Sendable, CustomTestStringConvertible {
        /// What the case is, for failure messages.
        var name: String
        /// The first sample (microseconds).
        var x: [Int64]
        /// The second sample (microseconds).
        var y: [Int64]
        /// The name, as the test's argument.
        var testDescription: String { name }
    }

    /// Paired differences of microseconds, named.
    struct Differences: Sendable, CustomTestStringConvertible {
        /// What the case is, for failure messages.
        var name: String
        /// The differences (microseconds, signed).
        var d: [Int64]
        /// The name, as the test's argument.
        var testDescription: String { name }
    }

    /// The Mann-Whitney cases: random, heavy ties, one distinct value, one sample a side, every value distinct.
    static let twoSamples: [TwoSamples] = {
        var random = SeededGenerator(seed: 0x1101)
        let pooledDistinct = Array((0..<700).map { Int64($0) * 37 + 5_000 }.shuffled(using: &random))
        return [
            TwoSamples(
                name: "random latencies, whole microseconds", x: microseconds(400, mean: 20, sd: 3, &random),
                y: microseconds(350, mean: 20.5, sd: 3, &random)),
            TwoSamples(
                name: "random on a 0.1 ms grid (ties)", x: microseconds(600, mean: 20, sd: 2, grid: 100, &random),
                y: microseconds(500, mean: 20.3, sd: 2, grid: 100, &random)),
            TwoSamples(
                name: "heavy ties, three levels", x: levels([10_000, 20_000, 30_000], 500, &random),
                y: levels([10_000, 20_000, 20_000, 30_000, 30_000, 30_000], 400, &random)),
            TwoSamples(
                name: "three levels, partly shared", x: levels([1_000, 2_000, 3_000], 300, &random),
                y: levels([2_000, 3_000, 4_000], 200, &random)),
            TwoSamples(
                name: "a single distinct value on both sides", x: Array(repeating: 42_000, count: 7),
                y: Array(repeating: 42_000, count: 5)),
            TwoSamples(
                name: "one distinct value a side, different", x: Array(repeating: 31_000, count: 40),
                y: Array(repeating: 30_999, count: 60)),
            TwoSamples(name: "one against one", x: [3_000], y: [5_000]),
            TwoSamples(name: "one against one, equal", x: [3_000], y: [3_000]),
            TwoSamples(name: "one against ten", x: [10_000], y: (0..<10).map { Int64($0) * 2_000 }),
            TwoSamples(
                name: "every value distinct", x: Array(pooledDistinct[..<300]), y: Array(pooledDistinct[300...])),
            TwoSamples(
                name: "complete separation, x above", x: (0..<30).map { 100_000 + Int64($0) },
                y: (0..<40).map { Int64($0) }),
            TwoSamples(
                name: "unequal sizes, 5 against 3,000", x: microseconds(5, mean: 25, sd: 4, &random),
                y: microseconds(3_000, mean: 24, sd: 4, &random)),
            TwoSamples(
                name: "x lower (U1 small)", x: microseconds(50, mean: 10, sd: 1, &random),
                y: microseconds(60, mean: 11, sd: 1, &random)),
        ]
    }()

    /// The Wilcoxon cases: random, heavy ties, zeros (all, some, none), one difference, every magnitude distinct.
    static let differences: [Differences] = {
        var random = SeededGenerator(seed: 0x1102)
        var distinctMagnitudes = (1...500).map { Int64($0) * 13 }
        distinctMagnitudes.shuffle(using: &random)
        return [
            Differences(name: "random, whole microseconds", d: microseconds(2_000, mean: -0.2, sd: 3, &random)),
            Differences(
                name: "random on a 1 ms grid (zeros and ties)",
                d: microseconds(600, mean: 0.3, sd: 2, grid: 1_000, &random)
            ),
            Differences(name: "heavy ties, three levels", d: levels([-500, 500, 1_500], 700, &random)),
            Differences(name: "three levels with zero", d: levels([-1_000, 0, 1_000, 1_000], 400, &random)),
            Differences(name: "all zero differences", d: Array(repeating: 0, count: 50)),
            Differences(name: "one zero difference", d: [0]),
            Differences(name: "some zero differences", d: [500, -1_200, 0, 2_200, 3_100, 0, -400, 1_700, 2_000, 900]),
            Differences(name: "mostly zeros, one nonzero", d: [0, 0, 3_000]),
            Differences(name: "one difference", d: [1_234]),
            Differences(name: "one negative difference", d: [-7]),
            Differences(name: "a single distinct value", d: Array(repeating: 2_500, count: 250)),
            Differences(
                name: "every magnitude distinct, random signs",
                d: distinctMagnitudes.map { Bool.random(using: &random) ? $0 : -$0 }),
            Differences(name: "symmetric: W+ = W-", d: [-1_000, 1_000, -2_000, 2_000]),
            Differences(name: "ties across signs", d: [-2, 2, 2, -3, 3, 1, -1, 0, 4, 4]),
            Differences(name: "all negative", d: (1...40).map { -Int64($0) * 100 }),
        ]
    }()

    // MARK: - Mann-Whitney U

    @Test("Mann-Whitney U from counts equals the test over the samples in ms", arguments: twoSamples)
    func mannWhitneyAgainstArrays(_ test: TwoSamples) throws {
        let fromCounts = try #require(Self.mannWhitney(test.x, test.y))
        let fromArrays = try #require(
            MannWhitneyU(test.x.map { Double($0) / 1_000 }, test.y.map { Double($0) / 1_000 }))
        Self.expectClose(fromCounts.u, fromArrays.u, "\(test.name): U")
        Self.expectClose(fromCounts.pValue, fromArrays.pValue, "\(test.name): p")
    }

    @Test("Mann-Whitney U from counts equals scipy.stats.mannwhitneyu(two-sided, asymptotic, continuity)")
    func mannWhitneyAgainstSciPy() throws {
        /// One Mann-Whitney case for the oracle.
        struct Case: Encodable { var x: [Int64], y: [Int64] }
        let cases = Self.twoSamples
        let expected = try RankTestTests.sciPy(
            RankTestTests.OracleRequest(mannwhitneyu: cases.map { Case(x: $0.x, y: $0.y) })
        )
        .mannwhitneyu
        #expect(expected.count == cases.count)
        for (test, want) in zip(cases, expected) {
            guard let result = Self.mannWhitney(test.x, test.y) else {
                Issue.record("\(test.name): no result")
                continue
            }
            RankTestTests.expect(statistic: result.u, pValue: result.pValue, equal: want, test.name)
        }
    }

    @Test("Mann-Whitney U: counts in many ascending slices give the one-slice result", arguments: twoSamples)
    func mannWhitneySlices(_ test: TwoSamples) throws {
        var random = SeededGenerator(seed: UInt64(test.x.count * 7_919 + test.y.count))
        let whole = Self.mannWhitneyAccumulator(test.x, test.y, sliceBounds: [])
        let pooled = Set(test.x + test.y).sorted()
        for _ in 0..<5 {
            // Cut points between (and below and above) the distinct values, some of them empty slices.
            let cuts = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                Int64.random(in: (pooled.first! - 2)...(pooled.last! + 2), using: &random)
            }
            let sliced = Self.mannWhitneyAccumulator(test.x, test.y, sliceBounds: cuts)
            #expect(sliced == whole, "\(test.name): cuts \(cuts.sorted())")
            #expect(sliced.result() == whole.result(), "\(test.name)")
        }
        #expect(whole.xCount == test.x.count && whole.yCount == test.y.count)
        #expect(whole.result() == Self.mannWhitney(test.x, test.y))
    }

    @Test("Mann-Whitney U: an empty side gives nil; the statistic by hand")
    func mannWhitneyEdges() throws {
        #expect(MannWhitneyU(counts: [], counts: [(1_000, 2)]) == nil)
        #expect(MannWhitneyU(counts: [(1_000, 2)], counts: []) == nil)
        #expect(MannWhitneyU(counts: [(1_000, 0)], counts: [(1_000, 3)]) == nil)
        var accumulator = MannWhitneyU.Accumulator()
        #expect(accumulator.result() == nil)
        accumulator.add(value: 5, xCount: 3, yCount: 0)
        #expect(accumulator.result() == nil)
        // x = [1, 4, 6], y = [2, 3, 5, 6]: pairs with x > y: 4 > 2, 3; 6 > 2, 3, 5; 6 = 6 counts 1/2.
        let u = try #require(MannWhitneyU(counts: [(1, 1), (4, 1), (6, 1)], counts: [(2, 1), (3, 1), (5, 1), (6, 1)]))
        #expect(u.u == 5.5)
        #expect(u == MannWhitneyU([1, 4, 6], [2, 3, 5, 6]))
        let equal = try #require(MannWhitneyU(counts: [(7, 3)], counts: [(7, 2)]))
        #expect(equal.u == 3 && equal.pValue == 1)
    }

    @Test("Mann-Whitney U with 10^6 and more per value equals the formula")
    func mannWhitneyLargeCounts() throws {
        let cases: [(name: String, x: [(value: Int64, count: Int)], y: [(value: Int64, count: Int)])] = [
            (
                "three levels, 10^6 each", [(1_000, 1_000_000), (2_000, 1_000_000), (3_000, 1_000_000)],
                [(2_000, 1_000_000), (3_000, 2_000_000), (4_000, 1_000_000)]
            ),
            (
                "shifted by one microsecond", [(20_001, 1_000_000), (20_002, 1_000_000), (20_003, 1_000_001)],
                [(20_000, 1_000_000), (20_001, 1_000_000), (20_002, 999_999)]
            ),
            ("one value, both sides", [(42_000, 1_000_000)], [(42_000, 3_000_000)]),
            ("complete separation", [(50_000, 1_000_000), (60_000, 1_000_000)], [(10_000, 1_000_000)]),
            ("10^8 per value", [(1, 100_000_000), (3, 100_000_000)], [(2, 100_000_000), (3, 200_000_000)]),
            (
                "10^6 per value, p near 0.3", [(1_000, 1_000_000), (2_000, 1_000_000)],
                [(1_000, 999_000), (2_000, 1_001_000)]
            ),
            (
                "10^8 per value, p near 0.6", [(1, 100_000_000), (2, 100_000_000), (3, 100_000_000)],
                [(1, 100_000_000), (2, 100_000_000), (3, 100_010_000)]
            ),
        ]
        for test in cases {
            let result = try #require(MannWhitneyU(counts: test.x, counts: test.y), "\(test.name)")
            let want = Self.mannWhitneyFormula(test.x, test.y)
            Self.expectClose(result.u, want.u, "\(test.name): U")
            Self.expectClose(result.pValue, want.pValue, "\(test.name): p")
        }
        // The same formula in exact integers (Python) for the two with a p-value inside (0, 1).
        let middle = try #require(MannWhitneyU(counts: cases[5].x, counts: cases[5].y))
        #expect(middle.u == 1_999_000_000_000 && abs(middle.pValue - 0.3173105081048849) < 1e-12)
        let huge = try #require(MannWhitneyU(counts: cases[6].x, counts: cases[6].y))
        #expect(abs(huge.u / 4.50005e16 - 1) < 1e-15 && abs(huge.pValue - 0.6170838791372691) < 1e-9)
        // By hand: a single value gives U = n1 n2 / 2 and p = 1; complete separation U = n1 n2.
        let single = try #require(MannWhitneyU(counts: [(42_000, 1_000_000)], counts: [(42_000, 3_000_000)]))
        #expect(single.u == 1.5e12 && single.pValue == 1)
        let separated = try #require(MannWhitneyU(counts: [(50_000, 2_000_000)], counts: [(10_000, 1_000_000)]))
        #expect(separated.u == 2e12 && separated.pValue == 0)
        // Against the samples written out (3,000,000 of them) for one case.
        let x: [Double] = Array(repeating: 1, count: 1_000_000) + Array(repeating: 2, count: 500_000)
        let y: [Double] = Array(repeating: 2, count: 1_000_000) + Array(repeating: 3, count: 500_000)
        let fromArrays = try #require(MannWhitneyU(x, y))
        let fromCounts = try #require(
            MannWhitneyU(
                counts: [(1_000, 1_000_000), (2_000, 500_000)],
                counts: [(2_000, 1_000_000), (3_000, 500_000)]))
        Self.expectClose(fromCounts.u, fromArrays.u, "written out: U")
        Self.expectClose(fromCounts.pValue, fromArrays.pValue, "written out: p")
    }

    // MARK: - Wilcoxon signed-rank

    @Test("Wilcoxon signed-rank from counts equals the test over the differences in ms", arguments: differences)
    func wilcoxonAgainstArrays(_ test: Differences) throws {
        let fromCounts = try #require(Self.wilcoxon(test.d))
        let fromArrays = try #require(WilcoxonSignedRank(differences: test.d.map { Double($0) / 1_000 }))
        Self.expectClose(fromCounts.statistic, fromArrays.statistic, "\(test.name): W")
        Self.expectClose(fromCounts.pValue, fromArrays.pValue, "\(test.name): p")
        #expect(fromCounts.nonZeroCount == fromArrays.nonZeroCount, "\(test.name)")
        #expect(fromCounts.nonZeroCount == test.d.filter { $0 != 0 }.count, "\(test.name)")
    }

    @Test("Wilcoxon signed-rank from counts equals scipy.stats.wilcoxon(wilcox zeros, correction, asymptotic)")
    func wilcoxonAgainstSciPy() throws {
        /// One Wilcoxon case for the oracle.
        struct Case: Encodable { var d: [Int64] }
        let cases = Self.differences
        let expected = try RankTestTests.sciPy(RankTestTests.OracleRequest(wilcoxon: cases.map { Case(d: $0.d) }))
            .wilcoxon
        #expect(expected.count == cases.count)
        for (test, want) in zip(cases, expected) {
            guard let result = Self.wilcoxon(test.d) else {
                Issue.record("\(test.name): no result")
                continue
            }
            if test.d.allSatisfy({ $0 == 0 }) {
                // SciPy has no p-value without a nonzero difference; the test documents 1 there.
                #expect(want.pvalue == nil && want.statistic == 0, "\(test.name)")
                #expect(result.statistic == 0 && result.pValue == 1 && result.nonZeroCount == 0, "\(test.name)")
            } else {
                RankTestTests.expect(statistic: result.statistic, pValue: result.pValue, equal: want, test.name)
            }
        }
    }

    @Test("Wilcoxon signed-rank: magnitudes in many ascending slices give the one-slice result", arguments: differences)
    func wilcoxonSlices(_ test: Differences) throws {
        var random = SeededGenerator(seed: UInt64(test.d.count * 104_729 + 1))
        let whole = Self.wilcoxonAccumulator(test.d, sliceBounds: [])
        let largest = test.d.map(\.magnitude).max() ?? 0
        for _ in 0..<5 {
            let cuts = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                Int64.random(in: 0...(Int64(largest) + 2), using: &random)
            }
            let sliced = Self.wilcoxonAccumulator(test.d, sliceBounds: cuts)
            #expect(sliced == whole, "\(test.name): cuts \(cuts.sorted())")
            #expect(sliced.result() == whole.result(), "\(test.name)")
        }
        #expect(whole.nonZeroCount + whole.zeroCount == test.d.count)
        #expect(whole.result() == Self.wilcoxon(test.d))
    }

    @Test("Wilcoxon signed-rank: no differences give nil, only zeros p = 1; the statistic by hand")
    func wilcoxonEdges() throws {
        #expect(WilcoxonSignedRank(counts: []) == nil)
        #expect(WilcoxonSignedRank(counts: [(-3, 0), (5, 0)]) == nil)
        var accumulator = WilcoxonSignedRank.Accumulator()
        #expect(accumulator.result() == nil)
        accumulator.addZeros(0)
        #expect(accumulator.result() == nil)
        accumulator.addZeros(4)
        let zeros = try #require(accumulator.result())
        #expect(zeros.statistic == 0 && zeros.pValue == 1 && zeros.nonZeroCount == 0)
        #expect(WilcoxonSignedRank(counts: [(0, 4)]) == zeros)
        // |d| ranks: 1 -> 1, 2 and -2 -> 2.5 each, 4 -> 4; W+ = 1 + 2.5 + 4 = 7.5, W- = 2.5.
        let w = try #require(WilcoxonSignedRank(counts: [(-2, 1), (0, 1), (1, 1), (2, 1), (4, 1)]))
        #expect(w.statistic == 2.5 && w.nonZeroCount == 4)
        #expect(w == WilcoxonSignedRank(differences: [2, -2, 1, 0, 4]))
        // Negative magnitudes above, below and equal to the positive ones, folded in order.
        let folded = try #require(WilcoxonSignedRank(counts: [(-9, 2), (-4, 1), (-1, 3), (1, 1), (4, 2), (7, 5)]))
        let written: [Double] = [-9, -9, -4, -1, -1, -1, 1, 4, 4, 7, 7, 7, 7, 7]
        #expect(folded == WilcoxonSignedRank(differences: written))
    }

    @Test("Wilcoxon signed-rank with 10^6 and more per magnitude equals the formula")
    func wilcoxonLargeCounts() throws {
        let cases: [(name: String, magnitudes: [(magnitude: Int64, positives: Int, negatives: Int)], zeros: Int)] = [
            (
                "three magnitudes, 10^6 each side",
                [
                    (1_000, 1_000_000, 1_000_000), (2_000, 1_000_000, 999_000),
                    (3_000, 1_001_000, 1_000_000),
                ], 1_000_000
            ),
            ("shifted: more positive", [(1, 1_000_000, 900_000), (2, 1_000_000, 950_000)], 0),
            ("one magnitude, all positive", [(2_500, 1_000_000, 0)], 5),
            ("symmetric", [(5, 1_000_000, 1_000_000), (6, 2_000_000, 2_000_000)], 3_000_000),
            ("10^8 per magnitude", [(10, 100_000_000, 100_000_000), (20, 200_000_000, 100_000_000)], 0),
            ("10^6 per magnitude, p near 0.7", [(1, 1_000_000, 1_001_500), (2, 1_000_000, 999_000)], 10),
            ("10^8 per magnitude, p near 0.5", [(10, 100_000_000, 100_000_000), (20, 100_000_000, 99_990_000)], 0),
        ]
        for test in cases {
            var accumulator = WilcoxonSignedRank.Accumulator()
            accumulator.addZeros(test.zeros)
            for entry in test.magnitudes {
                accumulator.add(magnitude: entry.magnitude, positives: entry.positives, negatives: entry.negatives)
            }
            let result = try #require(accumulator.result(), "\(test.name)")
            let want = Self.wilcoxonFormula(test.magnitudes)
            Self.expectClose(result.statistic, want.statistic, "\(test.name): W")
            Self.expectClose(result.pValue, want.pValue, "\(test.name): p")
            #expect(result.nonZeroCount == test.magnitudes.reduce(0) { $0 + $1.positives + $1.negatives })
            // The same through the signed-counts convenience.
            var signed: [(value: Int64, count: Int)] = test.magnitudes.reversed().map { (-$0.magnitude, $0.negatives) }
            signed.append((0, test.zeros))
            signed += test.magnitudes.map { ($0.magnitude, $0.positives) }
            #expect(WilcoxonSignedRank(counts: signed) == result, "\(test.name)")
        }
        // The same formula in exact integers (Python) for the two with a p-value inside (0, 1).
        let middle = try #require(
            WilcoxonSignedRank(counts: [(-2, 999_000), (-1, 1_001_500), (0, 10), (1, 1_000_000), (2, 1_000_000)]))
        #expect(middle.statistic == 4_000_251_125_250 && abs(middle.pValue - 0.7373842655084325) < 1e-12)
        let huge = try #require(
            WilcoxonSignedRank(counts: [(-20, 99_990_000), (-10, 100_000_000), (10, 100_000_000), (20, 100_000_000)]))
        #expect(abs(huge.statistic / 3.9996500149995e16 - 1) < 1e-15 && abs(huge.pValue - 0.5023260502102799) < 1e-9)
        // By hand: equal positives and negatives at every magnitude give W+ = W- and p = 1.
        var symmetric = WilcoxonSignedRank.Accumulator()
        symmetric.add(magnitude: 5, positives: 1_000_000, negatives: 1_000_000)
        let balanced = try #require(symmetric.result())
        #expect(balanced.statistic == 2e6 * (2e6 + 1) / 4 && balanced.pValue == 1)
        // Against the differences written out (2,000,000 of them) for one case.
        let written =
            Array(repeating: 1.0, count: 700_000) + Array(repeating: -1.0, count: 600_000)
            + Array(repeating: 0.0, count: 100_000) + Array(repeating: 2.0, count: 600_000)
        let fromArrays = try #require(WilcoxonSignedRank(differences: written))
        let fromCounts = try #require(
            WilcoxonSignedRank(counts: [(-1_000, 600_000), (0, 100_000), (1_000, 700_000), (2_000, 600_000)]))
        Self.expectClose(fromCounts.statistic, fromArrays.statistic, "written out: W")
        Self.expectClose(fromCounts.pValue, fromArrays.pValue, "written out: p")
        #expect(fromCounts.nonZeroCount == fromArrays.nonZeroCount)
    }

    @Test("Values out of order stop the program rather than give a wrong p-value")
    func outOfOrder() async {
        await #expect(processExitsWith: .failure) {
            var accumulator = MannWhitneyU.Accumulator()
            accumulator.add(value: 2_000, xCount: 1, yCount: 1)
            accumulator.add(value: 2_000, xCount: 1, yCount: 0)
        }
        await #expect(processExitsWith: .failure) {
            _ = MannWhitneyU(counts: [(3_000, 1), (1_000, 1)], counts: [(2_000, 1)])
        }
        await #expect(processExitsWith: .failure) {
            var accumulator = WilcoxonSignedRank.Accumulator()
            accumulator.add(magnitude: 5, positives: 1, negatives: 0)
            accumulator.add(magnitude: 4, positives: 1, negatives: 0)
        }
        await #expect(processExitsWith: .failure) {
            var accumulator = WilcoxonSignedRank.Accumulator()
            accumulator.add(magnitude: 0, positives: 1, negatives: 0)
        }
        await #expect(processExitsWith: .failure) {
            _ = WilcoxonSignedRank(counts: [(-1_000, 1), (-2_000, 1), (5, 1)])
        }
    }

    // MARK: - Quantiles of the same data

    @Test("ValueCounts.quantiles equals DuckDB's quantile_cont on the same adversarial sets")
    func quantilesAgainstDuckDB() throws {
        var sets: [(name: String, values: [Int64])] = []
        for test in Self.twoSamples {
            sets.append(("\(test.name): x", test.x))
            sets.append(("\(test.name): y", test.y))
        }
        for test in Self.differences { sets.append(("\(test.name): d", test.d)) }
        let dataSets = sets.map { set in
            set.values.allSatisfy { $0 >= 0 }
                ? QuantileTests.DataSet(name: set.name, integers: set.values.map { UInt32($0) })
                : QuantileTests.DataSet(name: set.name, doubles: set.values.map { Double($0) })
        }
        let expected = try QuantileTests.duckDB(dataSets)
        for (set, want) in zip(sets, expected) {
            var counts = ValueCounts(set.values)
            QuantileTests.expectClose(counts.quantiles(QuantileTests.levels), want, set.name)
        }
    }

    // MARK: - Helpers

    /// `count` normal draws (milliseconds) as whole microseconds, rounded to multiples of `grid` microseconds.
    static func microseconds(
        _ count: Int, mean: Double, sd: Double, grid: Int64 = 1, _ random: inout SeededGenerator
    ) -> [Int64] {
        RankTestTests.normal(count, mean: mean, sd: sd, &random).map {
            Int64(($0 * 1_000 / Double(grid)).rounded()) * grid
        }
    }

    /// `count` values drawn from `levels` (repeat a level to draw it more often).
    static func levels(_ levels: [Int64], _ count: Int, _ random: inout SeededGenerator) -> [Int64] {
        (0..<count).map { _ in levels.randomElement(using: &random)! }
    }

    /// The counts of `values`, ascending.
    static func counts(_ values: [Int64]) -> [(value: Int64, count: Int)] {
        var counts = ValueCounts(values)
        return counts.ascending()
    }

    /// Mann-Whitney U from the counts of `x` and `y`.
    static func mannWhitney(_ x: [Int64], _ y: [Int64]) -> MannWhitneyU? {
        MannWhitneyU(counts: counts(x), counts: counts(y))
    }

    /// Wilcoxon signed-rank from the counts of `d`.
    static func wilcoxon(_ d: [Int64]) -> WilcoxonSignedRank? {
        WilcoxonSignedRank(counts: counts(d))
    }

    /// An accumulator fed slice by slice, as a pass per slice over the samples would: the values below each cut
    /// point and at or above the one before, counted afresh for each slice.
    static func mannWhitneyAccumulator(_ x: [Int64], _ y: [Int64], sliceBounds: [Int64]) -> MannWhitneyU.Accumulator {
        var accumulator = MannWhitneyU.Accumulator()
        let bounds = Set(sliceBounds).sorted()
        for (index, upper) in (bounds + [.max]).enumerated() {
            let lower = index == 0 ? Int64.min : bounds[index - 1]
            var xSlice = ValueCounts(x.filter { $0 >= lower && ($0 < upper || upper == .max) })
            var ySlice = ValueCounts(y.filter { $0 >= lower && ($0 < upper || upper == .max) })
            let xCounts = Dictionary(uniqueKeysWithValues: xSlice.ascending().map { ($0.value, $0.count) })
            let yCounts = Dictionary(uniqueKeysWithValues: ySlice.ascending().map { ($0.value, $0.count) })
            for value in Set(xCounts.keys).union(yCounts.keys).sorted() {
                accumulator.add(value: value, xCount: xCounts[value] ?? 0, yCount: yCounts[value] ?? 0)
            }
        }
        return accumulator
    }

    /// An accumulator fed slice by slice of magnitudes, zeros counted in the slice that holds magnitude 0.
    static func wilcoxonAccumulator(_ d: [Int64], sliceBounds: [Int64]) -> WilcoxonSignedRank.Accumulator {
        var accumulator = WilcoxonSignedRank.Accumulator()
        let bounds = Set(sliceBounds).sorted()
        for (index, upper) in (bounds + [.max]).enumerated() {
            let lower = index == 0 ? Int64(0) : bounds[index - 1]
            let slice = d.filter { Int64($0.magnitude) >= lower && (Int64($0.magnitude) < upper || upper == .max) }
            accumulator.addZeros(slice.filter { $0 == 0 }.count)
            var positives = ValueCounts(slice.filter { $0 > 0 })
            var negatives = ValueCounts(slice.filter { $0 < 0 }.map { -$0 })
            let positiveCounts = Dictionary(uniqueKeysWithValues: positives.ascending().map { ($0.value, $0.count) })
            let negativeCounts = Dictionary(uniqueKeysWithValues: negatives.ascending().map { ($0.value, $0.count) })
            for magnitude in Set(positiveCounts.keys).union(negativeCounts.keys).sorted() {
                accumulator.add(
                    magnitude: magnitude, positives: positiveCounts[magnitude] ?? 0,
                    negatives: negativeCounts[magnitude] ?? 0)
            }
        }
        return accumulator
    }

    /// U1 by counting pairs (exact integers) and the p-value by the formula, from counts.
    static func mannWhitneyFormula(
        _ x: [(value: Int64, count: Int)], _ y: [(value: Int64, count: Int)]
    ) -> (u: Double, pValue: Double) {
        let n1 = Double(x.reduce(0) { $0 + $1.count })
        let n2 = Double(y.reduce(0) { $0 + $1.count })
        // Twice U1: each x value counts 2 per y below it and 1 per y equal to it.
        var twiceU: Double = 0
        for entry in x {
            let below = y.filter { $0.value < entry.value }.reduce(0) { $0 + $1.count }
            let equal = y.filter { $0.value == entry.value }.reduce(0) { $0 + $1.count }
            twiceU += Double(entry.count) * Double(2 * below + equal)
        }
        var pooled: [Int64: Int] = [:]
        for entry in x + y { pooled[entry.value, default: 0] += entry.count }
        let tieTerm = pooled.values.reduce(0.0) { $0 + pow(Double($1), 3) - Double($1) }
        let n = n1 + n2
        let u = twiceU / 2
        let sd = (n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
        let z = (max(u, n1 * n2 - u) - n1 * n2 / 2 - 0.5) / sd
        return (u, sd > 0 ? min(1, erfc(z / 2.0.squareRoot())) : 1)
    }

    /// `min(W+, W-)` and the p-value by the formula, from counts per magnitude (ascending).
    static func wilcoxonFormula(
        _ magnitudes: [(magnitude: Int64, positives: Int, negatives: Int)]
    ) -> (statistic: Double, pValue: Double) {
        var below = 0.0
        var positiveSum = 0.0
        var negativeSum = 0.0
        var tieTerm = 0.0
        for entry in magnitudes {
            let t = Double(entry.positives + entry.negatives)
            let midrank = below + (t + 1) / 2
            positiveSum += Double(entry.positives) * midrank
            negativeSum += Double(entry.negatives) * midrank
            tieTerm += pow(t, 3) - t
            below += t
        }
        let n = below
        let se = ((n * (n + 1) * (2 * n + 1) - tieTerm / 2) / 24).squareRoot()
        let shift = positiveSum - n * (n + 1) / 4
        let z = shift == 0 ? 0 : abs(abs(shift) - 0.5) / se
        return (min(positiveSum, negativeSum), min(1, erfc(z / 2.0.squareRoot())))
    }

    /// Expects `got` within 1e-9 relative of `want` (equal when either is 0).
    static func expectClose(_ got: Double, _ want: Double, _ name: String) {
        #expect(got == want || abs(got - want) <= 1e-9 * max(abs(got), abs(want)), "\(name): \(got) vs \(want)")
    }
}
