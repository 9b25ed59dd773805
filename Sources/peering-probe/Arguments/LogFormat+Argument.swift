import ArgumentParser
package import ProbeAgent

/// `run --log-format text|json`, in any case; help, completions and the error for a bad value list the formats.
extension LogFormat: ExpressibleByArgument {
    /// The format named `argument` (`text`, `json`), in any case.
    package init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}
