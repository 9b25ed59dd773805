#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A notification ``SystemdNotifier`` could not send to systemd; its description names the socket and the
/// reason (`cannot notify systemd at /run/systemd/notify: Connection refused`).
package struct SystemdNotifyError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        /// `NOTIFY_SOCKET` is neither an absolute path nor `@name`, or is too long for a socket address.
        case unusableSocket(String)
        /// Creating the socket or sending failed with `errno`.
        case send(String, Int32)
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// `NOTIFY_SOCKET` holds `socket`, which is no usable socket address.
    static func unusableSocket(_ socket: String) -> SystemdNotifyError {
        SystemdNotifyError(.unusableSocket(socket))
    }

    /// Creating a socket or sending to `socket` failed with `errno` `number`.
    static func sendFailed(_ socket: String, _ number: Int32) -> SystemdNotifyError {
        SystemdNotifyError(.send(socket, number))
    }

    /// What failed, naming the socket, for a log line.
    package var description: String {
        switch code {
        case .unusableSocket(let socket):
            "cannot notify systemd: NOTIFY_SOCKET \"\(socket)\" is neither an absolute path nor an @abstract name "
                + "that fits a socket address"
        case .send(let socket, let number):
            "cannot notify systemd at \(socket): \(String(cString: strerror(number)))"
        }
    }
}
