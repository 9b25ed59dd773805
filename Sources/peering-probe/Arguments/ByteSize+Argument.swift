public import ArgumentParser
public import ProbeCore

/// Sizes on the command line (`64MiB`) are spelt exactly as in the config file.
extension ByteSize: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }

    public var defaultValueDescription: String { description }
}
