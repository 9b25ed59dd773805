public import ArgumentParser
public import ProbeCore

/// `--method GET|HEAD`, in any case; help, completions and the error for a bad value list the methods.
extension HTTPMethod: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}
