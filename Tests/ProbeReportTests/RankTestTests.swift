import Foundation
import ProbeCore
import ProbeReport
import TestSupport
import Testing

/// Mann-Whitney U and Wilcoxon signed-rank against SciPy's asymptotic tests (the oracle), and their
/// degenerate cases.
@Suite("Rank tests")
struct RankTestTests {
    @Test("Mann-Whitney U equals scipy.stats.mannwhitneyu(two-sided, asymptotic, continuity) to 1e-9")
    func mannWhitneyAgainstSciPy() throws {
        var random = SeededGenerator(seed: 0x61)
        let cases: [(name: String, x: [Double], y: [Double])] = [
            ("small, no ties", Self.normal(8, mean: 20, sd: 3, &random), Self.normal(11, mean: 22, sd: 3, &random)),
            (
                "ties at 0.1 ms", Self.rounded(Self.normal(300, mean: 20, sd: 2, &random), step: 0.1),
                Self.rounded(Self.normal(250, mean: 20.4, sd: 2, &random), step: 0.1)
            ),
            (
                "heavy ties, three values", (0..<200).map { Double($0 % 3 + 1) },
                (0..<180).map { Double($0 % 3 == 0 ? 3 : 2) }
            ),
            (
                "large, 1 ms shift", Self.rounded(Self.normal(5_000, mean: 31, sd: 6, &random), step: 0.01),
                Self.rounded(Self.normal(4_000, mean: 30, sd: 6, &random), step: 0.01)
            ),
            ("one against one", [3], [5]),
            ("one against ten", [10], (0..<10).map { Double($0) * 2 }),
            (
                "unequal sizes, 20 against 3,000", Self.normal(20, mean: 25, sd: 4, &random),
                Self.normal(3_000, mean: 24, sd: 4, &random)
            ),
            ("complete separation", (0..<30).map { 100 + Double($0) }, (0..<40).map { Double($0) }),
            ("same sample twice", [1, 2, 2, 3, 5, 8], [1, 2, 2, 3, 5, 8]),
            ("all values equal", [4, 4, 4], [4, 4]),
            (
                "x lower (U1 small)", Self.normal(50, mean: 10, sd: 1, &random),
                Self.normal(60, mean: 11, sd: 1, &random)
            ),
        ]
        /// One Mann-Whitney case for the oracle.
        struct Case: Encodable { var x: [Double], y: [Double] }
        let expected = try Self.sciPy(OracleRequest(mannwhitneyu: cases.map { Case(x: $0.x, y: $0.y) })).mannwhitneyu
        #expect(expected.count == cases.count)
        for (test, want) in zip(cases, expected) {
            guard let result = MannWhitneyU(test.x, test.y) else {
                Issue.record("\(test.name): no result")
                continue
            }
            Self.expect(statistic: result.u, pValue: result.pValue, equal: want, test.name)
        }
    }

    @Test("Wilcoxon signed-rank equals scipy.stats.wilcoxon(wilcox zeros, correction, two-sided, asymptotic) to 1e-9")
    func wilcoxonAgainstSciPy() throws {
        var random = SeededGenerator(seed: 0x62)
        let cases: [(name: String, d: [Double])] = [
            ("small, with zeros", [0.5, -1.2, 0, 2.2, 3.1, 0, -0.4, 1.7, 2.0, 0.9]),
            ("whole ms: many zeros and ties", Self.rounded(Self.normal(500, mean: 0.3, sd: 2, &random), step: 1)),
            ("large, -0.2 ms shift", Self.normal(5_000, mean: -0.2, sd: 3, &random)),
            ("one nonzero difference", [0, 0, 3]),
            ("all positive", [1, 2, 3, 4, 5, 6]),
            ("symmetric: W+ = W-", [-1, 1, -2, 2]),
            ("ties of one magnitude", (0..<300).map { $0 % 5 == 0 ? -1 : 1 }),
            ("ties across signs", [-2, 2, 2, -3, 3, 1, -1, 0, 4, 4]),
        ]
        /// One Wilcoxon case for the oracle.
        struct Case: Encodable { var d: [Double] }
        let expected = try Self.sciPy(OracleRequest(wilcoxon: cases.map { Case(d: $0.d) })).wilcoxon
        #expect(expected.count == cases.count)
        for (test, want) in zip(cases, expected) {
            guard let result = WilcoxonSignedRank(differences: test.d) else {
                Issue.record("\(test.name): no result")
                continue
            }
            Self.expect(statistic: result.statistic, pValue: result.pValue, equal: want, test.name)
            #expect(result.nonZeroCount == test.d.filter { $0 != 0 }.count, "\(test.name)")
        }
    }

    @Test("Degenerate input: an empty side gives nil, all-zero differences give p = 1 where SciPy has NaN")
    func degenerate() throws {
        #expect(MannWhitneyU([], [1, 2]) == nil)
        #expect(MannWhitneyU([1], []) == nil)
        #expect(WilcoxonSignedRank(differences: []) == nil)
        let zeros = try #require(WilcoxonSignedRank(differences: [0, 0, 0, 0]))
        #expect(zeros.statistic == 0 && zeros.pValue == 1 && zeros.nonZeroCount == 0)
        // SciPy's answer for the same input, so that the documented difference stays true.
        /// One Wilcoxon case for the oracle.
        struct Case: Encodable { var d: [Double] }
        let sciPy = try Self.sciPy(OracleRequest(wilcoxon: [Case(d: [0, 0, 0, 0])])).wilcoxon
        #expect(sciPy.first?.statistic == 0 && sciPy.first.map { $0.pvalue == nil } == true)
        let equal = try #require(MannWhitneyU([7, 7, 7], [7, 7]))
        #expect(equal.u == 3 && equal.pValue == 1)
    }

    @Test("The statistics by hand: U1 counts the pairs x > y, min(W+, W-) sums ranks")
    func byHand() throws {
        // x = [1, 4, 6], y = [2, 3, 5, 6]: pairs with x > y: 4 > 2, 3; 6 > 2, 3, 5; 6 = 6 counts 1/2.
        let u = try #require(MannWhitneyU([1, 4, 6], [2, 3, 5, 6]))
        #expect(u.u == 5.5)
        let swapped = try #require(MannWhitneyU([2, 3, 5, 6], [1, 4, 6]))
        #expect(swapped.u == 12 - 5.5 && swapped.pValue == u.pValue)
        // |d| ranks: 1 -> 1, 2 and -2 -> 2.5 each, 4 -> 4; W+ = 1 + 2.5 + 4 = 7.5, W- = 2.5.
        let w = try #require(WilcoxonSignedRank(differences: [2, -2, 1, 0, 4]))
        #expect(w.statistic == 2.5 && w.nonZeroCount == 4)
        #expect(NormalDistribution.survival(0) == 0.5)
        #expect(abs(NormalDistribution.survival(1.959963984540054) - 0.025) < 1e-15)
        // Far tails: sf(30) = 4.906713927147908e-198 (no cancellation to 0 as 1 - cdf would give).
        #expect(abs(NormalDistribution.survival(30) / 4.906713927147908e-198 - 1) < 1e-12)
        #expect(NormalDistribution.survival(-.infinity) == 1 && NormalDistribution.survival(.infinity) == 0)
    }

    // MARK: - Helpers

    /// `count` normal draws (Box-Muller) with the given mean and standard deviation.
    static func normal(_ count: Int, mean: Double, sd: Double, _ random: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in
            let u1 = Double.random(in: Double.ulpOfOne...1, using: &random)
            let u2 = Double.random(in: 0..<1, using: &random)
            return mean + sd * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
    }

    /// `values` rounded to multiples of `step`, so that ties occur.
    static func rounded(_ values: [Double], step: Double) -> [Double] {
        values.map { ($0 / step).rounded() * step }
    }

    /// Expects the statistic within 1e-9 relative and the p-value within 1e-9 absolute (and, while it is
    /// above 1e-300, within 1e-6 relative, so that small p-values are checked too).
    static func expect(statistic: Double, pValue: Double, equal want: OracleResult, _ name: String) {
        guard let wantStatistic = want.statistic, let wantP = want.pvalue else {
            Issue.record("\(name): SciPy gave no number")
            return
        }
        #expect(
            abs(statistic - wantStatistic) <= 1e-9 * max(1, abs(wantStatistic)),
            "\(name): statistic \(statistic) vs SciPy \(wantStatistic)")
        #expect(abs(pValue - wantP) <= 1e-9, "\(name): p \(pValue) vs SciPy \(wantP)")
        if wantP > 1e-300 {
            #expect(abs(pValue - wantP) <= 1e-6 * wantP, "\(name): p \(pValue) vs SciPy \(wantP) (relative)")
        }
        #expect(pValue >= 0 && pValue <= 1, "\(name)")
    }

    /// The oracle's request: cases of either test.
    struct OracleRequest<MannWhitney: Encodable, Wilcoxon: Encodable>: Encodable {
        /// Samples `x` and `y` for `mannwhitneyu`.
        var mannwhitneyu: [MannWhitney]
        /// Differences `d` for `wilcoxon`.
        var wilcoxon: [Wilcoxon]
    }

    /// One answer of SciPy; nil where it gave NaN.
    struct OracleResult: Decodable {
        /// SciPy's statistic.
        var statistic: Double?
        /// SciPy's p-value.
        var pvalue: Double?
    }

    /// The oracle's answers, in the order of the cases.
    struct OracleAnswer: Decodable {
        /// The Mann-Whitney answers.
        var mannwhitneyu: [OracleResult]
        /// The Wilcoxon answers.
        var wilcoxon: [OracleResult]
    }

    /// Runs `Oracles/scipy_rank_tests.py` on `request`.
    static func sciPy<M, W>(_ request: OracleRequest<M, W>) throws -> OracleAnswer {
        let input = try JSONEncoder().encode(request)
        let output = try PythonOracle.run(script: PythonOracle.script("scipy_rank_tests.py"), input: input)
        return try JSONDecoder().decode(OracleAnswer.self, from: Data(output.utf8))
    }
}

extension RankTestTests.OracleRequest where Wilcoxon == Int {
    /// Mann-Whitney cases only.
    init(mannwhitneyu: [MannWhitney]) {
        self.init(mannwhitneyu: mannwhitneyu, wilcoxon: [])
    }
}

extension RankTestTests.OracleRequest where MannWhitney == Int {
    /// Wilcoxon cases only.
    init(wilcoxon: [Wilcoxon]) {
        self.init(mannwhitneyu: [], wilcoxon: wilcoxon)
    }
}
