public import ArgumentParser
public import Logging

/// `run --log-level debug|info|warning|error`, in any case: the lowest level the agent writes. swift-log's
/// other levels (`trace`, `notice`, `critical`) are not offered: `info` shows `notice`, and every level shows
/// `critical`. The conformance is retroactive (swift-log's type, ArgumentParser's protocol); it lives in the
/// executable, which no module imports.
extension Logger.Level: @retroactive ExpressibleByArgument {
    /// The levels `--log-level` accepts, lowest first.
    static let commandLineLevels: [Logger.Level] = [.debug, .info, .warning, .error]

    /// The level named `argument`, in any case, when it is one of ``commandLineLevels``.
    public init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()), Self.commandLineLevels.contains(level)
        else { return nil }
        self = level
    }

    /// The names help, completions and errors list.
    public static var allValueStrings: [String] { commandLineLevels.map(\.rawValue) }
}
