#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ProbeConfig {
    /// The agent id stamped on every sample and naming the agent's output folder and batches: the config's
    /// `agent` (checked by the loader), else the machine's host name made safe by ``sanitizedAgentID(_:)``, else
    /// `agent`.
    public var agentID: String { agent ?? Self.hostName().map(Self.sanitizedAgentID) ?? "agent" }

    /// `name` made into a valid agent id (``ConfigLimits/agentIDProblem(_:)``): characters other than letters,
    /// digits, `.`, `-` and `_` become `_`, a name that does not start with a letter or digit gets `agent-` in
    /// front, and the result is cut to 64 characters.
    public static func sanitizedAgentID(_ name: String) -> String {
        guard ConfigLimits.agentIDProblem(name) != nil else { return name }
        var scalars = String.UnicodeScalarView()
        for char in name.unicodeScalars {
            let safe =
                ("a"..."z").contains(char) || ("A"..."Z").contains(char) || ("0"..."9").contains(char)
                || char == "." || char == "-" || char == "_"
            scalars.append(safe ? char : "_")
        }
        var id = String(scalars)
        if ConfigLimits.agentIDProblem(String(id.prefix(1))) != nil { id = "agent-" + id }
        return String(id.prefix(ConfigLimits.agentLength.upperBound))
    }

    /// The machine's host name; nil when it cannot be read or is empty.
    private static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }
}
