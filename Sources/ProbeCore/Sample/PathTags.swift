/// How a path reaches Microsoft, as written in `path_type`.
public enum PathType: String, Sendable, Hashable, CaseIterable {
    /// Egress from a prefix registered for Peering Service with this path's own partner ISP.
    case peeringService = "peering-service"
    /// A normal internet path.
    case internet
    /// A private ExpressRoute path: reported apart, never mixed with the public ones.
    case expressroute
    /// No egress address is known, so the path cannot be classified.
    case unknown
}

/// The tags of one path, decided before a round starts, so a failed probe carries the same tags as a
/// successful one on that path.
public struct PathTags: Sendable, Hashable {
    /// Configured path name (`default` when the config names none).
    public var name: String
    /// Path type.
    public var type: PathType
    /// Provider name.
    public var isp: String?
    /// Provider ASN.
    public var asn: Int64?
    /// The registered prefix (CIDR) the egress address falls in.
    public var prefix: String?
    /// Public source address used for prefix matching.
    public var egressIP: String?

    /// Makes path tags.
    public init(
        name: String, type: PathType, isp: String? = nil, asn: Int64? = nil, prefix: String? = nil,
        egressIP: String? = nil
    ) {
        self.name = name
        self.type = type
        self.isp = isp
        self.asn = asn
        self.prefix = prefix
        self.egressIP = egressIP
    }

    /// The tags of the one implicit path when a config declares none: system routing, nothing known.
    public static let `default` = PathTags(name: "default", type: .unknown)
}
