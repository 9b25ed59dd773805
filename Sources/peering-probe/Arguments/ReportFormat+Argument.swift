public import ArgumentParser
public import ProbeReport

/// `report --format`, in any case; help, completions and the error for a bad value list the formats.
extension ReportFormat: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}
