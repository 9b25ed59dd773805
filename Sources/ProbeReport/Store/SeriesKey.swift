/// The path-level fields that stay the same from sample to sample of one series: one agent probing one
/// target over one path. Rows are stored per series; groups and comparisons are unions of series.
package struct SeriesKey: Sendable, Hashable {
    /// `agent`.
    package var agent: String
    /// `site`.
    package var site: String?
    /// `region`.
    package var region: String?
    /// `target`.
    package var target: String
    /// `path`.
    package var path: String
    /// `path_type`.
    package var pathType: String
    /// `isp`.
    package var isp: String?
    /// `asn`.
    package var asn: Int64?
    /// `prefix`.
    package var prefix: String?

    /// Makes a key.
    package init(
        agent: String, site: String?, region: String?, target: String, path: String, pathType: String,
        isp: String?, asn: Int64?, prefix: String?
    ) {
        self.agent = agent
        self.site = site
        self.region = region
        self.target = target
        self.path = path
        self.pathType = pathType
        self.isp = isp
        self.asn = asn
        self.prefix = prefix
    }

    /// The key's value for a series-level grouping dimension (nil for a null field; per-sample dimensions
    /// such as `pop` are not the series' and give nil).
    package func value(for dimension: GroupDimension) -> String? {
        switch dimension {
        case .target: target
        case .pathType: pathType
        case .path: path
        case .isp: isp
        case .asn: asn.map { String($0) }
        case .prefix: prefix
        case .site: site
        case .region: region
        case .agent: agent
        case .pop, .hour, .day: nil
        }
    }
}
