internal import NIOCore

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The metrics listener cannot be opened: an environment fault at start (exit code 3), with the address and
/// the reason, such as `cannot listen for metrics on 127.0.0.1:9477: address already in use`.
public struct MetricsServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    enum Code: Sendable, Hashable {
        case addressInUse
        case badPort
        case system(String)
    }

    /// The address asked for, `HOST:PORT` (an IPv6 host in brackets).
    public let address: String
    private let code: Code

    init(address: String, code: Code) {
        self.address = address
        self.code = code
    }

    /// The error for a failed bind of `address`: the operating system's reason when NIO reports one.
    init(address: String, error: any Error) {
        if let error = error as? IOError {
            let code: Code =
                error.errnoCode == EADDRINUSE ? .addressInUse : .system(String(cString: strerror(error.errnoCode)))
            self.init(address: address, code: code)
        } else {
            self.init(address: address, code: .system(String(describing: error)))
        }
    }

    /// Another process (or another listener of this one) already holds the address.
    public var isAddressInUse: Bool { code == .addressInUse }

    /// Why the address could not be used.
    public var reason: String {
        switch code {
        case .addressInUse: "address already in use (another process listens there; choose another port)"
        case .badPort: "the port must be from 0 to 65535"
        case .system(let reason): reason
        }
    }

    /// `cannot listen for metrics on ADDRESS: REASON`.
    public var description: String { "cannot listen for metrics on \(address): \(reason)" }
}
