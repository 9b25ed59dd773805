import Glibc

/// The standard normal distribution, for the p-values of the rank tests' normal approximations.
package enum NormalDistribution {
    /// `P(Z > z)` for a standard normal `Z`, as `erfc(z / sqrt 2) / 2`: accurate far into the upper tail
    /// (where `1 - cdf` would round to 0), 1 at minus infinity and 0 at plus infinity.
    package static func survival(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }
}
