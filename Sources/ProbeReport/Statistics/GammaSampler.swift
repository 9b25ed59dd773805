import Glibc
package import ProbeCore

/// Gamma, beta, normal and uniform variates from a seeded ``SplitMix64``, by fixed algorithms so that the same
/// seed gives the same draws on every machine and Swift version.
///
/// Gamma variates (scale 1) come from Marsaglia and Tsang's method ("A simple method for generating gamma
/// variables", 2000): for a shape `a >= 1`, a normal `x` is accepted as `d * (1 + c * x)^3` with
/// `d = a - 1/3` and `c = 1 / sqrt(9 d)` after a squeeze or a logarithmic test; for `a < 1`, a Gamma(a + 1)
/// variate is multiplied by `u^(1/a)` for a uniform `u`. Normals come from Marsaglia's polar method, which
/// makes them in pairs: the second of a pair is kept for the next call, so a sampler is a value to keep
/// (`var`) for as long as its generator is used. Uniforms are the top 53 bits of one 64-bit draw.
///
/// ```swift
/// var generator = SplitMix64(seed: 7)
/// var sampler = GammaSampler()
/// let g = sampler.gamma(shape: 2.5, using: &generator)
/// let b = sampler.beta(3, 4, using: &generator)  // in 0...1
/// ```
package struct GammaSampler: Sendable {
    /// The second normal of the last pair the polar method made, not yet returned.
    private var spareNormal: Double?

    /// A sampler with no normal kept over.
    package init() {}

    /// A Gamma(`shape`, 1) variate: mean and variance both `shape`. `shape` must be positive and finite.
    package mutating func gamma(shape: Double, using generator: inout SplitMix64) -> Double {
        precondition(shape > 0 && shape.isFinite, "gamma shape \(shape) is not positive and finite")
        guard shape >= 1 else {
            // Gamma(a) = Gamma(a + 1) * U^(1/a) (Marsaglia and Tsang's boost for small shapes).
            let boost = pow(Self.positiveUniform(using: &generator), 1 / shape)
            return gamma(shape: shape + 1, using: &generator) * boost
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal(using: &generator)
            let root = 1 + c * x
            guard root > 0 else { continue }
            let v = root * root * root
            let u = Self.uniform(using: &generator)
            let squared = x * x
            if u < 1 - 0.0331 * squared * squared { return d * v }
            if log(u) < 0.5 * squared + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Beta(`a`, `b`) variate, `X / (X + Y)` for independent Gamma(`a`) and Gamma(`b`) variates drawn in that
    /// order. Both shapes must be positive and finite.
    package mutating func beta(_ a: Double, _ b: Double, using generator: inout SplitMix64) -> Double {
        let x = gamma(shape: a, using: &generator)
        let y = gamma(shape: b, using: &generator)
        let sum = x + y
        // Both underflow to 0 only for tiny shapes; either end is then as likely as the other.
        guard sum > 0 else { return a >= b ? 1 : 0 }
        return x / sum
    }

    /// A standard normal variate (mean 0, variance 1), by Marsaglia's polar method.
    package mutating func normal(using generator: inout SplitMix64) -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * Self.uniform(using: &generator) - 1
            let v = 2 * Self.uniform(using: &generator) - 1
            let s = u * u + v * v
            guard s > 0, s < 1 else { continue }
            let factor = (-2 * log(s) / s).squareRoot()
            spareNormal = v * factor
            return u * factor
        }
    }

    /// A uniform variate in `0..<1`: the top 53 bits of one draw, so every multiple of 2^-53 below 1 is
    /// equally likely.
    package static func uniform(using generator: inout SplitMix64) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }

    /// A uniform variate in `0 < u <= 1` (multiples of 2^-53), for logarithms and roots that must not see 0.
    package static func positiveUniform(using generator: inout SplitMix64) -> Double {
        Double((generator.next() >> 11) + 1) * 0x1p-53
    }
}
