/// One entry of `providers`: an ISP the site uses, and the customer prefixes registered with it.
///
/// Peering Service allows a prefix to be registered with one provider only; ``ConfigLoader`` rejects
/// equal or overlapping prefixes under two providers.
public struct ProviderConfig: Sendable, Hashable {
    /// Unique name, written as `isp`.
    public var name: String
    /// The provider's autonomous system number, written as `asn`.
    public var asn: Int64?
    /// Whether the provider is a Peering Service partner for this customer (`peering_service`).
    public var peeringService: Bool
    /// Customer prefixes registered for Peering Service with this provider (IPv4 and IPv6).
    public var prefixes: [IPPrefix]
    /// Line of the entry in the config file, for messages; 0 when unknown.
    public var line: Int

    /// Makes a provider.
    public init(
        name: String, asn: Int64? = nil, peeringService: Bool = false, prefixes: [IPPrefix] = [],
        line: Int = 0
    ) {
        self.name = name
        self.asn = asn
        self.peeringService = peeringService
        self.prefixes = prefixes
        self.line = line
    }
}
