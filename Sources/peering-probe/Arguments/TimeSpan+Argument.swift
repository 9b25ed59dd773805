public import ArgumentParser
public import ProbeCore

/// Durations on the command line (`--spacing 100ms`) are spelt exactly as in the config file.
extension TimeSpan: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }

    public var defaultValueDescription: String { description }
}
