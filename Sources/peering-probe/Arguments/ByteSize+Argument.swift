public import ArgumentParser
public import ProbeCore

/// Sizes on the command line (`64MiB`) are spelt exactly as in the config file, through `ByteSize`'s
/// `LosslessStringConvertible` conformance.
extension ByteSize: ExpressibleByArgument {}
