/// Why an export could not be done: a bad config or option, a sink that refused a batch for good, or the machine.
///
/// A public struct around a private code, so new cases can come without breaking callers. The message never holds a
/// secret (a password, a token, a SAS signature): callers print it as it is.
public struct ExportError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case usage(String)
        case environment(String)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// A command line or config the export cannot work with (an unknown `--sink`, no `export:` section).
    public static func usage(_ message: String) -> ExportError { ExportError(.usage(message)) }

    /// The machine, not the config, failed (the state file cannot be written).
    public static func environment(_ message: String) -> ExportError { ExportError(.environment(message)) }

    /// Whether the fault is the machine's (exit status 3) rather than the user's (2).
    public var isEnvironmentFault: Bool {
        if case .environment = code { return true }
        return false
    }

    /// The message for people.
    public var description: String {
        switch code {
        case .usage(let message), .environment(let message): message
        }
    }
}
