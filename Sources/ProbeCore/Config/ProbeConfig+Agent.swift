#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ProbeConfig {
    /// The agent id stamped on every sample and naming the agent's output folder and batches: the config's
    /// `agent`, else the machine's host name, else `agent`.
    public var agentID: String { agent ?? Self.hostName() ?? "agent" }

    /// The machine's host name; nil when it cannot be read or is empty.
    private static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }
}
