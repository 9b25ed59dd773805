import Foundation
import ProbeCore
import ProbeReport
import TestSupport
import Testing

/// The percentile bootstrap of a report, fed latencies in ms as the report counts them (whole µs), and its
/// generator.
@Suite("Bootstrap")
struct BootstrapTests {
    /// Latencies (ms) as the report hands them to the bootstrap: counts of whole microseconds, ascending.
    static func counts(_ milliseconds: [Double]) -> [(value: Int64, count: Int)] {
        var counts: [Int64: Int] = [:]
        for value in milliseconds { counts[Int64((value * 1_000).rounded()), default: 0] += 1 }
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }

    /// The interval of `median(x) - median(y)` (ms).
    static func interval(
        _ x: [Double], _ y: [Double], resamples: Int = 1_000, seed: UInt64 = 0x5EED
    ) -> (low: Double, high: Double)? {
        Bootstrap.medianDifferenceInterval(counts: counts(x), counts: counts(y), resamples: resamples, seed: seed)
    }

    /// The interval of the median of paired differences (ms).
    static func paired(
        _ differences: [Double], resamples: Int = 1_000, seed: UInt64 = 0x5EED
    ) -> (low: Double, high: Double)? {
        Bootstrap.pairedMedianInterval(counts: counts(differences), resamples: resamples, seed: seed)
    }

    @Test("Same data and seed give the same interval; another seed gives another")
    func deterministic() throws {
        var random = SeededGenerator(seed: 0x71)
        let x = Self.latencies(1_000, base: 25, &random)
        let y = Self.latencies(1_200, base: 20, &random)
        let first = try #require(Self.interval(x, y))
        let again = try #require(Self.interval(x, y))
        let otherSeed = try #require(Self.interval(x, y, seed: 0x5EEE))
        #expect(first == again)
        #expect(first != otherSeed)
        let paired = try #require(Self.paired(x))
        #expect(try #require(Self.paired(x)) == paired)
        #expect(try #require(Self.paired(x, seed: 1)) != paired)
    }

    @Test("A +5 ms shift gives an interval around 5 that holds the point estimate")
    func shift() throws {
        var random = SeededGenerator(seed: 0x73)
        let y = Self.latencies(4_000, base: 20, &random)
        let x = Self.latencies(4_000, base: 25, &random)
        let interval = try #require(Self.interval(x, y))
        var medianX = x
        var medianY = y
        let estimate = Quantiles.median(&medianX) - Quantiles.median(&medianY)
        #expect(interval.low <= estimate && estimate <= interval.high, "\(interval) vs \(estimate)")
        // Around 5 (the standard error is about 0.09 ms here); whether 5 itself is inside is a 95% matter,
        // which the coverage test checks over many samples.
        #expect(interval.low > 4.5 && interval.high < 5.5 && interval.high - interval.low < 0.6, "\(interval)")

        let differences = zip(x, y).map { $0 - $1 }
        let paired = try #require(Self.paired(differences))
        var median = differences
        let pairedEstimate = Quantiles.median(&median)
        #expect(paired.low <= pairedEstimate && pairedEstimate <= paired.high, "\(paired) vs \(pairedEstimate)")
        #expect(paired.low > 4.5 && paired.high < 5.5 && paired.high - paired.low < 0.6, "\(paired)")
    }

    @Test("Over 200 samples the 95% intervals hold the true shift about 95% of the time")
    func coverage() throws {
        var random = SeededGenerator(seed: 0x75)
        var unpairedHits = 0
        var pairedHits = 0
        for trial in 0..<200 {
            // Shifted exponential tails: the population medians differ by exactly 5, and the differences of
            // independent pairs are symmetric around 5.
            let x = Self.latencies(101, base: 25, &random)
            let y = Self.latencies(101, base: 20, &random)
            let seed = UInt64(trial)
            let unpaired = try #require(Self.interval(x, y, resamples: 500, seed: seed))
            if unpaired.low <= 5 && 5 <= unpaired.high { unpairedHits += 1 }
            let paired = try #require(
                Self.paired(zip(x, y).map { $0 - $1 }, resamples: 500, seed: seed))
            if paired.low <= 5 && 5 <= paired.high { pairedHits += 1 }
        }
        // A binomial(200, 0.95) count lies in 180...197 with probability above 0.99; an 80% or a 99.9%
        // interval would not.
        #expect((180...197).contains(unpairedHits), "\(unpairedHits) of 200")
        #expect((180...197).contains(pairedHits), "\(pairedHits) of 200")
    }

    @Test("The interval shrinks with more data")
    func shrinks() throws {
        var random = SeededGenerator(seed: 0x74)
        /// The interval width for `count` samples per side, 3 ms apart.
        func width(_ count: Int) throws -> Double {
            let interval = try #require(
                Self.interval(
                    Self.latencies(count, base: 23, &random), Self.latencies(count, base: 20, &random)))
            #expect(interval.low <= interval.high)
            return interval.high - interval.low
        }
        let small = try width(200)
        let medium = try width(2_000)
        let large = try width(20_000)
        // The width goes as 1 / sqrt(n): about 3.2 times narrower per tenfold.
        #expect(medium < small / 2, "\(small) -> \(medium)")
        #expect(large < medium / 2, "\(medium) -> \(large)")
        #expect(large > 0)
    }

    @Test("Edges: an empty side or no resamples give nil; one value per side gives a point")
    func edges() throws {
        #expect(Self.interval([], [1, 2]) == nil)
        #expect(Self.interval([1, 2], []) == nil)
        #expect(Self.paired([]) == nil)
        #expect(Self.paired([1, 2], resamples: 0) == nil)
        let point = try #require(Self.interval([1], [3]))
        #expect(point == (-2, -2))
        let constant = try #require(Self.paired([0.5, 0.5, 0.5]))
        #expect(constant == (0.5, 0.5))
    }

    @Test("SplitMix64 gives the reference sequence and indices in range, spread evenly")
    func generator() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 {
            let index = generator.index(below: 10)
            guard counts.indices.contains(index) else {
                Issue.record("index \(index) out of 0..<10")
                return
            }
            counts[index] += 1
        }
        #expect(counts.allSatisfy { (9_500...10_500).contains($0) }, "\(counts)")
        #expect((0..<1_000).allSatisfy { _ in generator.index(below: 1) == 0 })
    }

    /// Latency-like milliseconds: `base` plus an exponential tail with a 4 ms mean.
    static func latencies(_ count: Int, base: Double, _ random: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in base - log(Double.random(in: Double.ulpOfOne...1, using: &random)) * 4 }
    }

    /// The q-quantile by sorting, with the interpolation of `Quantiles`.
    static func sortedQuantile(_ values: [Double], _ level: Double) -> Double {
        let sorted = values.sorted()
        let position = Double(sorted.count - 1) * level
        let low = Int(position.rounded(.down))
        let high = Int(position.rounded(.up))
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }
}
