import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An `AF_UNIX` datagram socket bound by a test, standing in for systemd's notify socket: at a path in a fresh
/// temporary folder, or at an abstract name; ``address`` is what `NOTIFY_SOCKET` would hold.
public final class DatagramReceiver: @unchecked Sendable {
    /// `NOTIFY_SOCKET`'s spelling of the socket: a path, or `@name` for an abstract socket.
    public let address: String
    private let descriptor: Int32
    private let folder: String?

    public init(abstract: Bool) throws {
        let unique = "peering-probe-notify-\(getpid())-\(UUID().uuidString.prefix(8))"
        if abstract {
            folder = nil
            address = "@" + unique
        } else {
            let folder = try CommandRunner.temporaryFolder()
            self.folder = folder
            address = folder + "/notify.sock"
        }
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket: \(String(cString: strerror(errno)))") }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        let name = Array(address.utf8)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { path in
            for (index, byte) in name.enumerated() { path[index] = byte }
            if abstract { path[0] = 0 }
        }
        let length = MemoryLayout.offset(of: \sockaddr_un.sun_path)! + name.count + (abstract ? 0 : 1)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(length)) }
        }
        guard bound == 0 else { throw TestSupportError("bind \(address): \(String(cString: strerror(errno)))") }
    }

    /// The next datagram, or nil when none arrives within `timeout` milliseconds.
    public func receive(timeout: Int32 = 2_000) -> String? {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, timeout) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count < 0 ? nil : String(decoding: buffer[0..<count], as: UTF8.self)
    }

    deinit {
        close(descriptor)
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }
}
