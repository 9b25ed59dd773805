/// The output folder cannot be used: an environment fault (exit code 3), with the path and the reason.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    /// The file or folder concerned.
    public let path: String
    /// What was being done.
    public let action: String
    /// The operating system's reason (`strerror`).
    public let reason: String

    /// Makes an error.
    public init(path: String, action: String, reason: String) {
        self.path = path
        self.action = action
        self.reason = reason
    }

    /// A one-line message for people: what failed, where, and why.
    public var description: String { "cannot \(action) '\(path)': \(reason)" }
}
