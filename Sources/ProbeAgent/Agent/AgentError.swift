/// Why the agent could not run: an environment fault at start (libcurl cannot start, the metrics address
/// cannot be bound). The message says what to do.
package struct AgentError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case engine
        case listen
    }

    private let code: Code
    /// What went wrong, for the user.
    package let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// libcurl (the probe engine) failed to start.
    package static func engine(_ message: String) -> AgentError { AgentError(.engine, message) }
    /// The metrics listener could not be bound.
    package static func listen(_ message: String) -> AgentError { AgentError(.listen, message) }

    package var description: String { message }
}
