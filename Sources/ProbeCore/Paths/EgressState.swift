/// What the output folder remembers about each path's egress between runs (`AGENT/paths.state`): the
/// address egress discovery last returned, and the local address of the path's last completed transfer.
///
/// One line per fact: `PATH<TAB>discovered|local<TAB>ADDRESS`.
public struct EgressState: Sendable, Hashable {
    /// Address egress discovery last returned, by path name.
    public var discovered: [String: IPAddress] = [:]
    /// Local address of the last completed transfer, by path name.
    public var local: [String: IPAddress] = [:]

    /// An empty state.
    public init() {}

    /// Parses the state file's text; unreadable lines are skipped (the state is a cache, not data).
    public init(text: String) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let address = IPAddress(String(fields[2])) else { continue }
            switch fields[1] {
            case "discovered": discovered[String(fields[0])] = address
            case "local": local[String(fields[0])] = address
            default: continue
            }
        }
    }

    /// The state file's text, sorted so that it is stable.
    public var text: String {
        let lines =
            discovered.map { "\($0.key)\tdiscovered\t\($0.value)" } + local.map { "\($0.key)\tlocal\t\($0.value)" }
        return lines.sorted().map { $0 + "\n" }.joined()
    }

    /// The egress address of `path`, in the documented order: configured, discovered, last local address.
    public func egress(for path: PathConfig, discoveredNow: IPAddress? = nil) -> IPAddress? {
        path.egressIP ?? discoveredNow ?? discovered[path.name] ?? local[path.name]
    }
}
