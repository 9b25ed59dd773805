import Glibc
import ProbeCore
import ProbeReport
import TestSupport
import Testing

/// The bootstrap from counts of distinct values: its gamma sampler, the middle ranks it draws instead of
/// resampling, the resolution of ranks to values over slices of counts, and its intervals against brute-force
/// resampling and the subsample method.
@Suite("Bootstrap from counts")
struct BootstrapCountsTests {
    typealias Counts = [(value: Int64, count: Int)]

    // MARK: - Gamma sampler

    @Test("Gamma variates have mean and variance equal to their shape", arguments: [0.3, 1, 7, 1e6])
    func gammaMoments(shape: Double) {
        var generator = SplitMix64(seed: 0x6A77A)
        var sampler = GammaSampler()
        let draws = 200_000
        // Welford's running mean and sum of squared deviations.
        var mean = 0.0
        var squares = 0.0
        var positive = true
        for index in 1...draws {
            let value = sampler.gamma(shape: shape, using: &generator)
            positive = positive && value > 0 && value.isFinite
            let delta = value - mean
            mean += delta / Double(index)
            squares += delta * (value - mean)
        }
        let variance = squares / Double(draws - 1)
        #expect(positive)
        // Five standard errors: the sample mean's is sqrt(a / n); the sample variance's is
        // a * sqrt((2 + 6 / a) / n), from the gamma's excess kurtosis 6 / a.
        let meanBound = 5 * (shape / Double(draws)).squareRoot()
        let varianceBound = 5 * shape * ((2 + 6 / shape) / Double(draws)).squareRoot()
        #expect(abs(mean - shape) < meanBound, "mean \(mean) for shape \(shape), bound \(meanBound)")
        #expect(
            abs(variance - shape) < varianceBound, "variance \(variance) for shape \(shape), bound \(varianceBound)")
    }

    @Test("Gamma(1) variates follow the exponential distribution and Beta(1, 1) the uniform (Kolmogorov-Smirnov)")
    func gammaDistribution() {
        var generator = SplitMix64(seed: 0xE4B)
        var sampler = GammaSampler()
        let draws = 50_000
        let exponential = (0..<draws).map { _ in sampler.gamma(shape: 1, using: &generator) }.sorted()
        let uniform = (0..<draws).map { _ in sampler.beta(1, 1, using: &generator) }.sorted()
        // The one-sample critical value at 0.1%: 1.949 / sqrt(n).
        let critical = 1.949 / Double(draws).squareRoot()
        #expect(Self.oneSampleStatistic(exponential) { 1 - exp(-$0) } < critical)
        #expect(Self.oneSampleStatistic(uniform) { $0 } < critical)
        var normals = SplitMix64(seed: 0x40)
        var normalSampler = GammaSampler()
        let normal = (0..<draws).map { _ in normalSampler.normal(using: &normals) }.sorted()
        #expect(Self.oneSampleStatistic(normal) { 0.5 * erfc(-$0 / 2.0.squareRoot()) } < critical)
    }

    // MARK: - Ranks against brute force

    @Test("Resampled medians from counts have the distribution of brute-force resamples (41 and 40 values, ties)")
    func againstBruteForce() {
        var random = SeededGenerator(seed: 0xB207)
        // Few distinct values, so many ties; an odd and an even count.
        let x = (0..<41).map { _ in Int64(10_000 + 250 * random.index(below: 12)) }.sorted()
        let y = (0..<40).map { _ in Int64(9_000 + 400 * random.index(below: 9)) }.sorted()
        let resamples = 20_000

        var brute = SplitMix64(seed: 0xB0B)
        var bruteX: [Double] = []
        var bruteY: [Double] = []
        for _ in 0..<resamples {
            bruteX.append(Self.bruteForceMedian(x, &brute))
            bruteY.append(Self.bruteForceMedian(y, &brute))
        }

        let ranks = Bootstrap.medianDifferenceRanks(countX: x.count, countY: y.count, resamples: resamples, seed: 7)
        let countedX = Self.medians(ranks.x, Self.counts(x))
        let countedY = Self.medians(ranks.y, Self.counts(y))
        #expect(ranks.x.allSatisfy { $0.low == $0.high && (0..<41).contains($0.low) })
        #expect(ranks.y.allSatisfy { $0.low <= $0.high && $0.low >= 0 && $0.high < 40 })
        #expect(ranks.y.contains { $0.low < $0.high })

        // The two-sample critical value at 0.1% for 20,000 and 20,000: 1.949 * sqrt(2 / 20,000).
        let critical = 1.949 * (2 / Double(resamples)).squareRoot()
        let statisticX = Self.twoSampleStatistic(bruteX, countedX)
        let statisticY = Self.twoSampleStatistic(bruteY, countedY)
        let statisticDifference = Self.twoSampleStatistic(
            zip(bruteX, bruteY).map { $0 - $1 }, zip(countedX, countedY).map { $0 - $1 })
        #expect(statisticX < critical, "x: D = \(statisticX), critical \(critical)")
        #expect(statisticY < critical, "y: D = \(statisticY), critical \(critical)")
        #expect(statisticDifference < critical, "x - y: D = \(statisticDifference), critical \(critical)")

        // An even count of distinct values, where the gap between the two middle draws shows most.
        let z = (0..<30).map { (index: Int) -> Int64 in Int64(5_000 + 37 * index + index * index) }
        let bruteZ = (0..<resamples).map { _ in Self.bruteForceMedian(z, &brute) }
        var generator = SplitMix64(seed: 8)
        let countedZ = Self.medians(
            Bootstrap.medianRanks(count: z.count, resamples: resamples, generator: &generator), Self.counts(z))
        let statisticZ = Self.twoSampleStatistic(bruteZ, countedZ)
        #expect(statisticZ < critical, "z: D = \(statisticZ), critical \(critical)")
    }

    @Test("Two values: a resample's median is the low one, their mean or the high one with chances 1/4, 1/2, 1/4")
    func twoValues() throws {
        var generator = SplitMix64(seed: 0x2)
        let ranks = Bootstrap.medianRanks(count: 2, resamples: 40_000, generator: &generator)
        var seen = [0, 0, 0]
        for pair in ranks {
            try #require(pair.low >= 0 && pair.low <= pair.high && pair.high <= 1, "\(pair)")
            seen[pair.low + pair.high] += 1
        }
        // Five standard errors of a binomial(40,000, 1/4 or 1/2) count: about 433 and 500.
        #expect(abs(seen[0] - 10_000) < 433 && abs(seen[1] - 20_000) < 500 && abs(seen[2] - 10_000) < 433, "\(seen)")
    }

    // MARK: - Rank resolver

    @Test("RankResolver gives ValueCounts' value at each rank, with the counts in 1, 2 or many slices")
    func resolverAgainstValueCounts() {
        var random = SeededGenerator(seed: 0x5E7)
        let values = (0..<5_000).map { _ in Int64(random.index(below: 700)) - 300 }
        var series = ValueCounts(values)
        let counts = series.ascending()
        var ranks = (0..<400).map { _ in random.index(below: values.count) }
        ranks += [0, values.count - 1, ranks[3], ranks[3], 0]
        let expected = ranks.map { series.value(atRank: $0) }

        var whole = RankResolver(ranks: ranks)
        whole.consume(counts)
        #expect(whole.isComplete)
        #expect(whole.values() == expected)

        let cut = counts.count / 3
        var two = RankResolver(ranks: ranks)
        two.consume(Array(counts[..<cut]))
        #expect(!two.isComplete)
        two.consume(Array(counts[cut...]))
        #expect(two.values() == expected)

        var many = RankResolver(ranks: ranks)
        var start = 0
        var slices = 0
        while start < counts.count {
            // Slices of 0 to 6 entries: empty slices are allowed.
            let end = min(counts.count, start + random.index(below: 7))
            many.consume(Array(counts[start..<end]))
            start = end
            slices += 1
        }
        #expect(slices > 100)
        #expect(many.values() == expected)

        // Pairs come back flattened, low then high, and zero counts are skipped.
        var pairs = RankResolver(medianRanks: [(low: 2, high: 3), (low: 0, high: 4)])
        pairs.consume([(value: -5, count: 1), (value: 0, count: 0), (value: 7, count: 2)])
        #expect(!pairs.isComplete)
        pairs.consume([(value: 9, count: 2)])
        #expect(pairs.values() == [7, 9, -5, 9])
        var none = RankResolver(ranks: [])
        none.consume([])
        #expect(none.isComplete && none.values().isEmpty)
    }

    // MARK: - Intervals

    @Test("A single distinct value gives that value exactly, per side and for paired differences")
    func singleDistinctValue() throws {
        let x: Counts = [(value: 12_345, count: 1_001)]
        let y: Counts = [(value: 2_345, count: 7)]
        let interval = try #require(Bootstrap.medianDifferenceInterval(counts: x, counts: y))
        #expect(interval == (10, 10))
        let paired = try #require(Bootstrap.pairedMedianInterval(counts: [(value: -500, count: 33)]))
        #expect(paired == (-0.5, -0.5))
        var generator = SplitMix64(seed: 1)
        var resolver = RankResolver(
            medianRanks: Bootstrap.medianRanks(count: 1_000, resamples: 500, generator: &generator))
        resolver.consume([(value: 77, count: 1_000)])
        #expect(resolver.values().allSatisfy { $0 == 77 })
    }

    @Test("One-sample series: one value per side gives a point; empty sides or no resamples give nil")
    func oneSample() throws {
        let point = try #require(
            Bootstrap.medianDifferenceInterval(counts: [(value: 1_000, count: 1)], counts: [(value: 3_000, count: 1)]))
        #expect(point == (-2, -2))
        let single = try #require(Bootstrap.pairedMedianInterval(counts: [(value: -1_500, count: 1)]))
        #expect(single == (-1.5, -1.5))
        #expect(Bootstrap.medianDifferenceInterval(counts: [], counts: [(value: 1, count: 2)]) == nil)
        #expect(
            Bootstrap.medianDifferenceInterval(counts: [(value: 1, count: 2)], counts: [(value: 5, count: 0)]) == nil)
        #expect(Bootstrap.pairedMedianInterval(counts: []) == nil)
        #expect(Bootstrap.pairedMedianInterval(counts: [(value: 1, count: 3)], resamples: 0) == nil)
        #expect(Bootstrap.medianDifferenceInterval(resolved: [], []) == nil)
        #expect(Bootstrap.pairedMedianInterval(resolved: []) == nil)
        var generator = SplitMix64(seed: 3)
        #expect(Bootstrap.medianRanks(count: 1, resamples: 100, generator: &generator).allSatisfy { $0 == (0, 0) })
    }

    @Test("Heavy ties: the same interval as resampling the full list")
    func heavyTies() throws {
        // Half at 10 ms, half at 20 ms: a resample's median is 10, 15 or 20 ms.
        let x: Counts = [(value: 10_000, count: 5_000), (value: 20_000, count: 5_000)]
        let y: Counts = [(value: 10_000, count: 9_000), (value: 15_000, count: 500), (value: 30_000, count: 500)]
        let counted = try #require(Bootstrap.medianDifferenceInterval(counts: x, counts: y))
        let listed = try #require(ListBootstrap.medianDifferenceInterval(Self.expanded(x), Self.expanded(y)))
        #expect(counted == (0, 10))
        #expect(counted == listed)
        let paired = try #require(
            Bootstrap.pairedMedianInterval(counts: [
                (value: -2_000, count: 3), (value: 0, count: 9_000), (value: 4_000, count: 2),
            ]))
        #expect(paired == (0, 0))
    }

    @Test("All values distinct: close to the interval of resampling the list itself")
    func allDistinct() throws {
        var random = SeededGenerator(seed: 0xD15)
        /// `count` distinct microsecond values above `base` with gaps of 1 to 40.
        func distinct(_ count: Int, base: Int64) -> Counts {
            var value = base
            return (0..<count).map { _ in
                value += Int64(1 + random.index(below: 40))
                return (value: value, count: 1)
            }
        }
        let x = distinct(5_001, base: 20_000)
        let y = distinct(4_000, base: 19_000)
        let counted = try #require(Bootstrap.medianDifferenceInterval(counts: x, counts: y))
        let listed = try #require(ListBootstrap.medianDifferenceInterval(Self.expanded(x), Self.expanded(y)))
        Self.expectClose(counted, listed)

        let differences = distinct(3_000, base: -60_000)
        let pairedCounted = try #require(Bootstrap.pairedMedianInterval(counts: differences))
        let pairedListed = try #require(ListBootstrap.pairedMedianInterval(Self.expanded(differences)))
        Self.expectClose(pairedCounted, pairedListed)
    }

    @Test("The same seed gives the same interval; another seed another; the resolved form gives the same")
    func deterministic() throws {
        var random = SeededGenerator(seed: 0x5A3E)
        var xSeries = ValueCounts((0..<3_000).map { _ in Int64(20_000 + random.index(below: 9_000)) })
        var ySeries = ValueCounts((0..<2_500).map { _ in Int64(18_000 + random.index(below: 9_000)) })
        let x = xSeries.ascending()
        let y = ySeries.ascending()
        let first = try #require(Bootstrap.medianDifferenceInterval(counts: x, counts: y))
        #expect(try #require(Bootstrap.medianDifferenceInterval(counts: x, counts: y)) == first)
        #expect(try #require(Bootstrap.medianDifferenceInterval(counts: x, counts: y, seed: 0x5EEE)) != first)
        #expect(first.low < first.high)

        // The steps, with the counts in slices, give the same interval.
        let ranks = Bootstrap.medianDifferenceRanks(countX: 3_000, countY: 2_500, resamples: 1_000, seed: 0x5EED)
        var resolverX = RankResolver(medianRanks: ranks.x)
        var resolverY = RankResolver(medianRanks: ranks.y)
        for start in stride(from: 0, to: x.count, by: 100) {
            resolverX.consume(Array(x[start..<min(x.count, start + 100)]))
        }
        for start in stride(from: 0, to: y.count, by: 77) {
            resolverY.consume(Array(y[start..<min(y.count, start + 77)]))
        }
        #expect(Bootstrap.medianDifferenceInterval(resolved: resolverX.values(), resolverY.values())! == first)

        let paired = try #require(Bootstrap.pairedMedianInterval(counts: x))
        #expect(try #require(Bootstrap.pairedMedianInterval(counts: x)) == paired)
        #expect(try #require(Bootstrap.pairedMedianInterval(counts: x, seed: 1)) != paired)
        var generator = SplitMix64(seed: 0x5EED)
        var resolver = RankResolver(
            medianRanks: Bootstrap.medianRanks(count: 3_000, resamples: 1_000, generator: &generator))
        resolver.consume(x)
        #expect(Bootstrap.pairedMedianInterval(resolved: resolver.values())! == paired)
    }

    @Test("Over 200 samples the 95% intervals from counts hold the true shift about 95% of the time")
    func coverage() throws {
        var random = SeededGenerator(seed: 0xC0FE)
        var unpairedHits = 0
        var pairedHits = 0
        for trial in 0..<200 {
            // Shifted exponential tails in whole microseconds: the medians differ by 5 ms (up to rounding).
            let x = Self.microseconds(101, base: 25_000, &random)
            let y = Self.microseconds(101, base: 20_000, &random)
            var xSeries = ValueCounts(x)
            var ySeries = ValueCounts(y)
            var differences = ValueCounts(zip(x, y).map { $0 - $1 })
            let seed = UInt64(trial)
            let unpaired = try #require(
                Bootstrap.medianDifferenceInterval(counts: xSeries.ascending(), counts: ySeries.ascending(), seed: seed)
            )
            if unpaired.low <= 5 && 5 <= unpaired.high { unpairedHits += 1 }
            let paired = try #require(Bootstrap.pairedMedianInterval(counts: differences.ascending(), seed: seed))
            if paired.low <= 5 && 5 <= paired.high { pairedHits += 1 }
        }
        // A binomial(200, 0.95) count lies in 180...197 with probability above 0.99.
        #expect((180...197).contains(unpairedHits), "\(unpairedHits) of 200")
        #expect((180...197).contains(pairedHits), "\(pairedHits) of 200")
    }

    @Test("2,000,000 samples with about 50,000 distinct values: near the subsample method's interval, and fast")
    func large() throws {
        let count = 2_000_000
        let limit = ListBootstrap.sampleLimit
        var random = SeededGenerator(seed: 0x2_000_000)
        var histogramX = [Int](repeating: 0, count: 400_000)
        var histogramY = [Int](repeating: 0, count: 400_000)
        var differences = ValueCounts()
        var keptX: [Double] = []
        var keptY: [Double] = []
        var keptDifferences: [Double] = []
        for index in 0..<count {
            // 20 ms (19.7 ms) plus an exponential tail with an 8 ms mean, in whole microseconds.
            let x = min(399_999, 20_000 + Int(-log(GammaSampler.positiveUniform(using: &random)) * 8_000))
            let y = min(399_999, 19_700 + Int(-log(GammaSampler.positiveUniform(using: &random)) * 8_000))
            histogramX[x] += 1
            histogramY[y] += 1
            differences.add(Int64(x - y))
            // What the subsample method keeps: element i * n / limit, in time order.
            if index % (count / limit) == 0 {
                keptX.append(Double(x) / 1_000)
                keptY.append(Double(y) / 1_000)
                keptDifferences.append(Double(x - y) / 1_000)
            }
        }
        let x = Self.counts(histogramX)
        let y = Self.counts(histogramY)
        let differenceCounts = differences.ascending()
        #expect((40_000...60_000).contains(x.count), "\(x.count) distinct values")

        let clock = ContinuousClock()
        var counted: (low: Double, high: Double)?
        var pairedCounted: (low: Double, high: Double)?
        let countedTime = clock.measure {
            counted = Bootstrap.medianDifferenceInterval(counts: x, counts: y)
            pairedCounted = Bootstrap.pairedMedianInterval(counts: differenceCounts)
        }
        var subsampled: (low: Double, high: Double)?
        var pairedSubsampled: (low: Double, high: Double)?
        let subsampleTime = clock.measure {
            subsampled = ListBootstrap.medianDifferenceInterval(keptX, keptY)
            pairedSubsampled = ListBootstrap.pairedMedianInterval(keptDifferences)
        }
        print(
            "Bootstrap of 2,000,000 samples (\(x.count), \(y.count) and \(differenceCounts.count) distinct):",
            "from counts \(countedTime), subsample of 20,000 \(subsampleTime);",
            "unpaired \(counted!) vs \(subsampled!), paired \(pairedCounted!) vs \(pairedSubsampled!)"
        )

        var xSeries = ValueCounts()
        var ySeries = ValueCounts()
        for entry in x { xSeries.add(entry.value, count: entry.count) }
        for entry in y { ySeries.add(entry.value, count: entry.count) }
        let estimate = (xSeries.quantiles([0.5])[0] - ySeries.quantiles([0.5])[0]) / 1_000
        let pairedEstimate = differences.quantiles([0.5])[0] / 1_000
        for (full, sub, point) in [
            (try #require(counted), try #require(subsampled), estimate),
            (try #require(pairedCounted), try #require(pairedSubsampled), pairedEstimate),
        ] {
            let subWidth = sub.high - sub.low
            // A hundred times the samples: about a tenth of the width, around the same place.
            #expect(full.high - full.low < subWidth / 4 && full.low < full.high, "\(full) vs \(sub)")
            #expect(abs((full.low + full.high) / 2 - (sub.low + sub.high) / 2) <= subWidth, "\(full) vs \(sub)")
            #expect(full.low <= point && point <= full.high, "\(full) vs \(point)")
        }
    }

    // MARK: - Helpers

    /// One resample of the sorted `values` by explicit draws, and its median in milliseconds.
    static func bruteForceMedian(_ values: [Int64], _ generator: inout SplitMix64) -> Double {
        let drawn = values.indices.map { _ in values[generator.index(below: values.count)] }.sorted()
        let low = Double(drawn[(drawn.count - 1) / 2]) / 1_000
        let high = Double(drawn[drawn.count / 2]) / 1_000
        return low + 0.5 * (high - low)
    }

    /// The medians in milliseconds of resamples with middle ranks `ranks` of the series `counts`.
    static func medians(_ ranks: [(low: Int, high: Int)], _ counts: Counts) -> [Double] {
        var resolver = RankResolver(medianRanks: ranks)
        resolver.consume(counts)
        let values = resolver.values()
        return ranks.indices.map { index in
            let low = Double(values[2 * index]) / 1_000
            let high = Double(values[2 * index + 1]) / 1_000
            return low + 0.5 * (high - low)
        }
    }

    /// The ascending counts of `values`.
    static func counts(_ values: [Int64]) -> Counts {
        var series = ValueCounts(values)
        return series.ascending()
    }

    /// The counts of a histogram of microsecond values from 0.
    static func counts(_ histogram: [Int]) -> Counts {
        histogram.indices.compactMap { histogram[$0] > 0 ? (value: Int64($0), count: histogram[$0]) : nil }
    }

    /// The values of `counts`, in milliseconds, each as often as it is counted.
    static func expanded(_ counts: Counts) -> [Double] {
        counts.flatMap { entry in repeatElement(Double(entry.value) / 1_000, count: entry.count) }
    }

    /// `count` latency-like whole microseconds: `base` plus an exponential tail with a 4 ms mean.
    static func microseconds(_ count: Int, base: Int64, _ random: inout SeededGenerator) -> [Int64] {
        (0..<count).map { _ in base + Int64(-log(GammaSampler.positiveUniform(using: &random)) * 4_000) }
    }

    /// Two intervals from different draws agree: their ends differ by less than a quarter of the width (the
    /// Monte Carlo error of a 2.5% quantile of 1,000 resamples is about 2% of the width).
    static func expectClose(
        _ a: (low: Double, high: Double), _ b: (low: Double, high: Double),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let width = b.high - b.low
        #expect(width > 0, sourceLocation: sourceLocation)
        #expect(
            abs(a.low - b.low) < width / 4 && abs(a.high - b.high) < width / 4, "\(a) vs \(b)",
            sourceLocation: sourceLocation)
    }

    /// The Kolmogorov-Smirnov statistic of sorted `values` against the continuous distribution function `cdf`.
    static func oneSampleStatistic(_ values: [Double], cdf: (Double) -> Double) -> Double {
        let n = Double(values.count)
        var statistic = 0.0
        for (index, value) in values.enumerated() {
            let p = cdf(value)
            statistic = max(statistic, p - Double(index) / n, Double(index + 1) / n - p)
        }
        return statistic
    }

    /// The two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical distribution
    /// functions, evaluated after all copies of each value (so ties count as in SciPy's `ks_2samp`).
    static func twoSampleStatistic(_ a: [Double], _ b: [Double]) -> Double {
        let a = a.sorted()
        let b = b.sorted()
        var i = 0
        var j = 0
        var statistic = 0.0
        while i < a.count && j < b.count {
            let value = min(a[i], b[j])
            while i < a.count && a[i] == value { i += 1 }
            while j < b.count && b[j] == value { j += 1 }
            statistic = max(statistic, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
        }
        return statistic
    }
}
