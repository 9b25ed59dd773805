#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tells systemd how the agent is doing, over systemd's notify protocol (sd_notify(3)) without libsystemd:
/// each call sends one datagram to the `AF_UNIX` socket named by `NOTIFY_SOCKET`, a path or, when it starts
/// with `@`, an abstract socket.
///
/// With `Type=notify`, call ``ready()`` once the agent is running, ``reloading()`` when a reload starts and
/// ``ready()`` again when it is done, ``stopping()`` when shutdown starts, and ``watchdog()`` at least every
/// half ``watchdogInterval`` while rounds keep their schedule (`WatchdogSec=`). When `NOTIFY_SOCKET` is not
/// set (not started by systemd, or `Type=simple`) every call does nothing. A failed send throws
/// ``SystemdNotifyError``; it is worth a log line, not a reason to stop.
///
/// ```swift
/// let notifier = SystemdNotifier.fromProcessEnvironment()
/// try notifier.ready()
/// ```
package struct SystemdNotifier: Sendable {
    /// The socket from `NOTIFY_SOCKET`: an absolute path, or `@name` for an abstract socket; nil when unset or
    /// empty, and then every call does nothing.
    package let socket: String?
    /// How long systemd waits for a watchdog ping before it treats the agent as hung (`WATCHDOG_USEC`, set by
    /// `WatchdogSec=`); nil when the watchdog is off or meant for another process (`WATCHDOG_PID`).
    package let watchdogInterval: Duration?

    /// A notifier for the environment `environment` (`NOTIFY_SOCKET`, `WATCHDOG_USEC`, `WATCHDOG_PID`) of the
    /// process `processID`, as sd_notify(3) and sd_watchdog_enabled(3) read them.
    package init(environment: [String: String], processID: Int32 = getpid()) {
        let socket = environment["NOTIFY_SOCKET"] ?? ""
        self.socket = socket.isEmpty ? nil : socket
        watchdogInterval = Self.watchdogInterval(environment: environment, processID: processID)
    }

    /// A notifier for this process's own environment (read with `getenv`).
    package static func fromProcessEnvironment() -> SystemdNotifier {
        var environment: [String: String] = [:]
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return SystemdNotifier(environment: environment)
    }

    /// Whether notifications go anywhere (`NOTIFY_SOCKET` is set).
    package var isEnabled: Bool { socket != nil }

    /// `READY=1`: start-up (or a reload) is finished.
    package func ready() throws(SystemdNotifyError) {
        try send("READY=1")
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (the `CLOCK_MONOTONIC` time in microseconds): a reload has started;
    /// send ``ready()`` when it is finished. systemd versions before 253 ignore `MONOTONIC_USEC`.
    package func reloading() throws(SystemdNotifyError) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let micros = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        try send("RELOADING=1\nMONOTONIC_USEC=\(micros)")
    }

    /// `STOPPING=1`: shutdown has started.
    package func stopping() throws(SystemdNotifyError) {
        try send("STOPPING=1")
    }

    /// `WATCHDOG=1`: the agent is alive; send it at least every half ``watchdogInterval``.
    package func watchdog() throws(SystemdNotifyError) {
        try send("WATCHDOG=1")
    }

    /// `STATUS=text`: one line shown by `systemctl status` (line breaks become spaces).
    package func status(_ text: String) throws(SystemdNotifyError) {
        let line = String(text.map { $0.isNewline ? " " : $0 })
        try send("STATUS=" + line)
    }

    /// Sends `message` (newline-separated `KEY=value` assignments) as one datagram; nothing when
    /// `NOTIFY_SOCKET` is unset.
    package func send(_ message: String) throws(SystemdNotifyError) {
        guard let socket else { return }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let name = Array(socket.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let abstract = name.first == UInt8(ascii: "@")
        // A path needs room for its terminating zero; an abstract name's leading zero replaces the '@'.
        guard abstract || name.first == UInt8(ascii: "/"), name.count < capacity || (abstract && name.count <= capacity)
        else { throw .unusableSocket(socket) }
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in name.enumerated() { path[index] = byte }
            if abstract { path[0] = 0 }
        }
        let length = MemoryLayout.offset(of: \sockaddr_un.sun_path)! + name.count + (abstract ? 0 : 1)

        #if canImport(Glibc)
            let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let descriptor = Darwin.socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { throw .sendFailed(socket, errno) }
        defer { close(descriptor) }
        var payload = message
        let sent = payload.withUTF8 { bytes in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    sendto(
                        descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), generic, socklen_t(length))
                }
            }
        }
        guard sent == message.utf8.count else { throw .sendFailed(socket, sent < 0 ? errno : EMSGSIZE) }
    }

    /// sd_watchdog_enabled(3): `WATCHDOG_USEC` as a positive number of microseconds, unless `WATCHDOG_PID` is set
    /// and names another process.
    private static func watchdogInterval(environment: [String: String], processID: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let micros = UInt64(text), micros > 0,
            micros < UInt64.max, micros <= UInt64(Int64.max)
        else { return nil }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty {
            guard let pid = Int32(pidText), pid == processID else { return nil }
        }
        return .microseconds(Int64(micros))
    }
}
