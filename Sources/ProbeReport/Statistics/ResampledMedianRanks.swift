import Glibc
package import ProbeCore

/// The ranks of the middle values of bootstrap resamples, drawn without drawing the resamples: per resample of
/// `count` values with replacement from `count` sorted values, the 0-based ranks (in the sorted original) of the
/// values at the resample's ranks `(count - 1) / 2` and `count / 2`, the two that its median interpolates (the
/// same rank for an odd count).
///
/// A resample draws index `floor(U * count)` for each of `count` uniforms `U`, so its `k`-th smallest draw
/// (from 1) is the original's value at rank `min(floor(U(k) * count), count - 1)`, where `U(k)`, the `k`-th
/// smallest of `count` uniforms, is Beta(`k`, `count - k + 1`). Given `U(k) = u`, the `count - k` uniforms above
/// it are uniform on `u...1`, so `U(k+1) = u + (1 - u) * (1 - V^(1 / (count - k)))` for one more uniform `V`. A
/// resample thus costs one beta variate (two gamma variates, ``GammaSampler``) and, for an even count, one
/// uniform, whatever the count: the ranks have the distribution brute-force resampling gives them (up to the
/// rounding of doubles). Resolve the ranks to values with ``RankResolver``.
///
/// ```swift
/// var generator = SplitMix64(seed: 0x5EED)
/// var draws = ResampledMedianRanks(count: 2_000_000)
/// let (low, high) = draws.next(using: &generator)  // ranks in 0..<2_000_000, low <= high
/// ```
package struct ResampledMedianRanks: Sendable {
    /// How many values the original (and so every resample) has.
    package let count: Int
    /// The lower middle rank of a resample, from 0.
    private let lowRank: Int
    /// The beta shapes of the lower middle uniform, `k` and `count - k + 1` with `k = lowRank + 1`.
    private let shapes: (a: Double, b: Double)
    /// How many of a resample's uniforms lie above the lower middle one, `count - k`.
    private let above: Double
    /// The gamma and normal variates, with the normal kept over between draws.
    private var sampler = GammaSampler()

    /// Draws for resamples of `count` values; `count` must be positive.
    package init(count: Int) {
        precondition(count > 0, "no resample of \(count) values")
        self.count = count
        lowRank = (count - 1) / 2
        shapes = (Double(lowRank + 1), Double(count - lowRank))
        above = Double(count - lowRank - 1)
    }

    /// The ranks of one resample's two middle values, `low <= high` (equal when ``count`` is odd).
    package mutating func next(using generator: inout SplitMix64) -> (low: Int, high: Int) {
        let u = sampler.beta(shapes.a, shapes.b, using: &generator)
        let low = rank(of: u)
        guard count % 2 == 0 else { return (low, low) }
        // 1 - V^(1/m) as -expm1(log(V) / m): no cancellation when m is large.
        let v = GammaSampler.positiveUniform(using: &generator)
        let next = u + (1 - u) * -expm1(log(v) / above)
        return (low, max(low, rank(of: next)))
    }

    /// The original's rank that a uniform `u` in 0...1 draws.
    private func rank(of u: Double) -> Int {
        min(Int(u * Double(count)), count - 1)
    }
}
