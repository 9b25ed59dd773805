/// Steele, Lea and Flood's SplitMix64: a small, fast, deterministic generator, so that a report's bootstrap
/// interval, a benchmark's data and a test's random inputs are the same on every run, machine and Swift
/// version for the same seed.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state: a counter stepped by the golden-ratio increment.
    private var state: UInt64

    /// Starts the sequence at `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random index in `0..<count` (count > 0) from the high half of `next() * count` (Lemire's
    /// multiply-shift without the rejection step: a bias below `count / 2^64`, nothing for resampling), by
    /// this rule rather than the standard library's `random(in:using:)`, whose algorithm may change.
    package mutating func index(below count: Int) -> Int {
        precondition(count > 0, "no index below \(count)")
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(count)).high)
    }
}
