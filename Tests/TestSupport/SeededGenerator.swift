package import ProbeCore

/// The tests' deterministic random number generator: ProbeCore's SplitMix64, so that every "random" test sees
/// the same inputs on every run and a failure can be reproduced from its seed.
package typealias SeededGenerator = SplitMix64
