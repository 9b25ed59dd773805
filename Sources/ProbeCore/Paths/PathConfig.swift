public import CurlKit

/// One entry of `paths`: an uplink the agent sends probes out of on purpose.
public struct PathConfig: Sendable, Hashable {
    /// Unique name, written as `path`.
    public var name: String
    /// Name of the path's provider in `providers`; nil for a path with no known provider.
    public var provider: String?
    /// Source binding (`CURLOPT_INTERFACE`): an interface name or a local address; nil uses system routing.
    public var bind: String?
    /// The known public egress address, for sites behind NAT (`egress_ip`).
    public var egressIP: IPAddress?
    /// A URL whose body is the caller's public address (`egress_discovery`), fetched over this path.
    public var egressDiscovery: CurlURL?
    /// The path is a private ExpressRoute circuit (`type: expressroute`): reported apart, never mixed.
    public var expressroute: Bool
    /// Line of the entry in the config file, for messages; 0 when unknown.
    public var line: Int

    /// Makes a path.
    public init(
        name: String, provider: String? = nil, bind: String? = nil, egressIP: IPAddress? = nil,
        egressDiscovery: CurlURL? = nil, expressroute: Bool = false, line: Int = 0
    ) {
        self.name = name
        self.provider = provider
        self.bind = bind
        self.egressIP = egressIP
        self.egressDiscovery = egressDiscovery
        self.expressroute = expressroute
        self.line = line
    }

    /// The one implicit path when a config declares none: system routing, nothing known about it.
    public static let implicitDefault = PathConfig(name: "default")
}
