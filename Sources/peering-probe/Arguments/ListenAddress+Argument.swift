public import ArgumentParser
public import ProbeCore

/// Listen addresses on the command line (`--metrics-listen :9100`) are spelt exactly as the config's
/// `metrics.listen`, through `ListenAddress`'s `LosslessStringConvertible` conformance.
extension ListenAddress: ExpressibleByArgument {}
