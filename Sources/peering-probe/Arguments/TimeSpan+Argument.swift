public import ArgumentParser
public import ProbeCore

/// Durations on the command line (`--spacing 100ms`) are spelt exactly as in the config file: ArgumentParser
/// reads them through `TimeSpan`'s `LosslessStringConvertible` conformance.
extension TimeSpan: ExpressibleByArgument {}
