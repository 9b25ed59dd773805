import Foundation
import ProbeCore
import ProbeReport
import TestSupport
import Testing

/// The percentile bootstrap, its generator and the even thinning of long samples.
@Suite("Bootstrap")
struct BootstrapTests {
    @Test("Same data and seed give the same interval; another seed gives another")
    func deterministic() throws {
        var random = SeededGenerator(seed: 0x71)
        let x = Self.latencies(1_000, base: 25, &random)
        let y = Self.latencies(1_200, base: 20, &random)
        let first = try #require(Bootstrap.medianDifferenceInterval(x, y))
        let again = try #require(Bootstrap.medianDifferenceInterval(x, y))
        let otherSeed = try #require(Bootstrap.medianDifferenceInterval(x, y, seed: 0x5EEE))
        #expect(first == again)
        #expect(first != otherSeed)
        let paired = try #require(Bootstrap.pairedMedianInterval(x))
        #expect(try #require(Bootstrap.pairedMedianInterval(x)) == paired)
        #expect(try #require(Bootstrap.pairedMedianInterval(x, seed: 1)) != paired)
    }

    @Test("Equals drawing the same positions of the sorted values, with sorting for medians and percentiles")
    func againstSortedReference() throws {
        var random = SeededGenerator(seed: 0x72)
        let x = Self.latencies(301, base: 30, &random).map { ($0 * 10).rounded() / 10 }
        let y = Self.latencies(250, base: 29, &random)
        let unpaired = try #require(Bootstrap.medianDifferenceInterval(x, y, resamples: 400, seed: 99))
        var generator = SplitMix64(seed: 99)
        var statistics: [Double] = []
        let sortedX = x.sorted()
        let sortedY = y.sorted()
        for _ in 0..<400 {
            let drawnX = x.indices.map { _ in sortedX[generator.index(below: x.count)] }
            let drawnY = y.indices.map { _ in sortedY[generator.index(below: y.count)] }
            statistics.append(Self.sortedQuantile(drawnX, 0.5) - Self.sortedQuantile(drawnY, 0.5))
        }
        #expect(unpaired.low == Self.sortedQuantile(statistics, 0.025))
        #expect(unpaired.high == Self.sortedQuantile(statistics, 0.975))

        let differences = zip(x, y).map { $0 - $1 }
        let paired = try #require(Bootstrap.pairedMedianInterval(differences, resamples: 333))
        generator = SplitMix64(seed: 0x5EED)
        let sortedDifferences = differences.sorted()
        statistics = (0..<333).map { _ in
            Self.sortedQuantile(
                differences.indices.map { _ in sortedDifferences[generator.index(below: differences.count)] }, 0.5)
        }
        #expect(paired.low == Self.sortedQuantile(statistics, 0.025))
        #expect(paired.high == Self.sortedQuantile(statistics, 0.975))
    }

    @Test("A +5 ms shift gives an interval around 5 that holds the point estimate")
    func shift() throws {
        var random = SeededGenerator(seed: 0x73)
        let y = Self.latencies(4_000, base: 20, &random)
        let x = Self.latencies(4_000, base: 25, &random)
        let interval = try #require(Bootstrap.medianDifferenceInterval(x, y))
        var medianX = x
        var medianY = y
        let estimate = Quantiles.median(&medianX) - Quantiles.median(&medianY)
        #expect(interval.low <= estimate && estimate <= interval.high, "\(interval) vs \(estimate)")
        // Around 5 (the standard error is about 0.09 ms here); whether 5 itself is inside is a 95% matter,
        // which the coverage test checks over many samples.
        #expect(interval.low > 4.5 && interval.high < 5.5 && interval.high - interval.low < 0.6, "\(interval)")

        let differences = zip(x, y).map { $0 - $1 }
        let paired = try #require(Bootstrap.pairedMedianInterval(differences))
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
            let unpaired = try #require(Bootstrap.medianDifferenceInterval(x, y, resamples: 500, seed: seed))
            if unpaired.low <= 5 && 5 <= unpaired.high { unpairedHits += 1 }
            let paired = try #require(
                Bootstrap.pairedMedianInterval(zip(x, y).map { $0 - $1 }, resamples: 500, seed: seed))
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
                Bootstrap.medianDifferenceInterval(
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
        #expect(Bootstrap.medianDifferenceInterval([], [1, 2]) == nil)
        #expect(Bootstrap.medianDifferenceInterval([1, 2], []) == nil)
        #expect(Bootstrap.pairedMedianInterval([]) == nil)
        #expect(Bootstrap.pairedMedianInterval([1, 2], resamples: 0) == nil)
        let point = try #require(Bootstrap.medianDifferenceInterval([1], [3]))
        #expect(point == (-2, -2))
        let constant = try #require(Bootstrap.pairedMedianInterval([0.5, 0.5, 0.5]))
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

    @Test("evenlySpaced keeps everything up to the limit, else element i * n / limit")
    func evenlySpaced() {
        let values = Array(0..<10)
        #expect(Bootstrap.evenlySpaced(values, limit: 10) == values)
        #expect(Bootstrap.evenlySpaced(values, limit: 20) == values)
        #expect(Bootstrap.evenlySpaced(values, limit: 4) == [0, 2, 5, 7])
        #expect(Bootstrap.evenlySpaced(values, limit: 1) == [0])
        #expect(Bootstrap.evenlySpaced(values, limit: 0).isEmpty)
        let long = Array(0..<100_003)
        let kept = Bootstrap.evenlySpaced(long, limit: Bootstrap.sampleLimit)
        #expect(kept.count == 20_000 && kept.first == 0)
        #expect(zip(kept, kept.dropFirst()).allSatisfy { $1 - $0 == 5 || $1 - $0 == 6 })
        #expect(kept.last! >= 99_990)
    }

    // MARK: - Helpers

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
