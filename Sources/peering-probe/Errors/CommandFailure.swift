import ProbeAgent
import ProbeCore
import ProbeReport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An error that ends a command with a documented exit status and, usually, a message for the user.
///
/// Commands throw; ``PeeringProbe/main()`` is the one place that prints the message and exits. The errors the
/// modules throw are mapped here, once, by ``init(_:)``.
struct CommandFailure: Error, CustomStringConvertible {
    /// The exit status.
    let status: ExitStatus
    /// What to tell the user; nil when the status says it all (`probe --strict`).
    let message: String?

    /// A failure with `status` and `message`.
    init(_ status: ExitStatus, _ message: String? = nil) {
        self.status = status
        self.message = message
    }

    /// The failure for an error a module threw, or nil for errors that are not the modules' (ArgumentParser's
    /// own usage errors, help and version requests).
    init?(_ error: any Error) {
        switch error {
        case let failure as CommandFailure: self = failure
        case let error as ConfigError: self.init(.usage, "invalid config: \(error)")
        case let error as SpoolError: self.init(.environment, error.description)
        case let error as MetricsServerError: self.init(.environment, error.description)
        case let error as AgentError: self.init(.environment, error.description)
        case let error as ReportError: self.init(error.isEnvironmentFault ? .environment : .usage, error.description)
        default: return nil
        }
    }

    var description: String { message ?? "exit status \(status.rawValue)" }
}
