import CurlKit

/// How a configured path will be tagged, as far as the config alone can tell (no network use): what
/// `config check` shows for each path.
public struct PathPreview: Sendable {
    /// Where the path's public egress address comes from.
    public enum EgressSource: Sendable, Hashable {
        /// `egress_ip` in the config.
        case configured(IPAddress)
        /// Fetched at run time from the `egress_discovery` URL (redacted for display).
        case discovery(String)
        /// Neither: the local address the transfers use, learnt at run time.
        case localAddress
    }

    /// The configured path.
    public var path: PathConfig
    /// The tags the config alone gives: provider, ASN, and the prefix of a configured egress address.
    public var tags: PathTags
    /// Where the egress address comes from.
    public var egress: EgressSource
    /// The `path_type` samples will carry, or nil when it is decided at run time (the egress address is not
    /// configured and the path is not ExpressRoute).
    public var type: PathType?
    /// Set when a configured egress address is in a prefix registered with another provider.
    public var warning: String?
}

extension ProbeConfig {
    /// A preview of every path probes go out of, in config order.
    public func pathPreviews() -> [PathPreview] {
        let tagger = PathTagger(providers: providers)
        return effectivePaths.map { path in
            let (tags, warning) = tagger.tags(for: path, egress: path.egressIP)
            let egress: PathPreview.EgressSource =
                if let address = path.egressIP {
                    .configured(address)
                } else if let url = path.egressDiscovery {
                    .discovery(url.redacted)
                } else {
                    .localAddress
                }
            let known = path.egressIP != nil || path.expressroute
            return PathPreview(path: path, tags: tags, egress: egress, type: known ? tags.type : nil, warning: warning)
        }
    }
}
