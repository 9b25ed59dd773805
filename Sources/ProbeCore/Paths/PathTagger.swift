/// Decides a path's tags from its provider and its public egress address: longest-prefix match over every
/// registered prefix (IPv4 and IPv6) gives `prefix`; `path_type` follows from whose prefix it is.
///
/// - `expressroute` when the path says so;
/// - `unknown` when there is no egress address;
/// - `peering-service` when the prefix is registered with the path's own provider and that provider is a
///   Peering Service partner;
/// - `internet` otherwise. When the prefix is registered with a *different* provider, the tagger also
///   returns a warning: the traffic is not reaching Microsoft through the registered provider.
public struct PathTagger: Sendable {
    private let providers: [ProviderConfig]
    private let table: PrefixTable<Int>

    /// Builds the prefix table of `providers`.
    public init(providers: [ProviderConfig]) {
        self.providers = providers
        var entries: [(IPPrefix, Int)] = []
        for (index, provider) in providers.enumerated() {
            for prefix in provider.prefixes { entries.append((prefix, index)) }
        }
        table = PrefixTable(entries)
    }

    /// The tags of `path` when its public egress address is `egress`, and a warning when the egress
    /// address belongs to a prefix registered with another provider.
    public func tags(for path: PathConfig, egress: IPAddress?) -> (tags: PathTags, warning: String?) {
        let provider = providers.first { $0.name == path.provider }
        var tags = PathTags(
            name: path.name, type: .unknown, isp: provider?.name, asn: provider?.asn,
            egressIP: egress?.description)
        var warning: String?
        let match = egress.flatMap { table.longestMatch($0) }
        if let match {
            tags.prefix = match.prefix.description
            let owner = providers[match.value]
            if owner.name != path.provider {
                warning =
                    "path '\(path.name)' (provider \(path.provider ?? "none")) leaves from \(egress!), which is "
                    + "in \(match.prefix) registered with provider \(owner.name): this traffic is not reaching "
                    + "Microsoft through the registered provider, so it is tagged internet"
            }
        }
        if path.expressroute {
            tags.type = .expressroute
        } else if egress == nil {
            tags.type = .unknown
        } else if let match, providers[match.value].name == path.provider, provider?.peeringService == true {
            tags.type = .peeringService
        } else {
            tags.type = .internet
        }
        return (tags, warning)
    }
}
