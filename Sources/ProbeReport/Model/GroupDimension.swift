/// A dimension `report --by` can group samples on.
public enum GroupDimension: String, Sendable, Hashable, CaseIterable {
    /// Target name.
    case target
    /// `peering-service`, `internet`, `expressroute` or `unknown`.
    case pathType = "path_type"
    /// Configured path name.
    case path
    /// Provider name.
    case isp
    /// Provider ASN.
    case asn
    /// Registered prefix.
    case prefix
    /// Site.
    case site
    /// Region (shown beside the site in any case).
    case region
    /// Edge PoP metro code.
    case pop
    /// Agent id.
    case agent
    /// UTC hour of the sample's start (`2026-11-28T08`).
    case hour
    /// UTC day of the sample's start (`2026-11-28`).
    case day

    /// The default grouping: site x target x path type (region shown beside the site).
    public static let defaultGrouping: [GroupDimension] = [.site, .target, .pathType]

    /// Parses a `--by` word; `path-type` and `pathtype` are accepted for `path_type`.
    public init?(word: String) {
        let normal = String(word.lowercased().map { $0 == "-" ? "_" : $0 })
        if normal == "pathtype" {
            self = .pathType
            return
        }
        self.init(rawValue: normal)
    }

    /// Whether the value comes from each sample's own time or PoP rather than from its series.
    package var isPerSample: Bool { self == .pop || self == .hour || self == .day }
}
