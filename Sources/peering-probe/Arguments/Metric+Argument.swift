public import ArgumentParser
public import ProbeReport

/// `report --metric total` (or the field name, `total_ms`); help, completions and the error for a bad value
/// list the metrics.
extension Metric: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument)
    }
}
