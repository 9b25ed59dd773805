internal import ProbeCore

/// Which samples a report keeps: a time window and exact values of series fields. Empty lists keep all.
public struct ReportFilter: Sendable, Hashable {
    /// Keep samples with `ts` at or after this (µs since the epoch).
    public var since: Int64?
    /// Keep samples with `ts` before this (µs).
    public var until: Int64?
    /// Keep these sites only.
    public var sites: [String]
    /// Keep these regions only.
    public var regions: [String]
    /// Keep these targets only.
    public var targets: [String]
    /// Keep these providers (`isp`) only.
    public var isps: [String]
    /// Keep these path names only.
    public var paths: [String]

    /// Makes a filter.
    public init(
        since: Int64? = nil, until: Int64? = nil, sites: [String] = [], regions: [String] = [],
        targets: [String] = [], isps: [String] = [], paths: [String] = []
    ) {
        self.since = since
        self.until = until
        self.sites = sites
        self.regions = regions
        self.targets = targets
        self.isps = isps
        self.paths = paths
    }

    /// Whether a series passes the field filters.
    package func keeps(_ key: SeriesKey) -> Bool {
        func pass(_ allowed: [String], _ value: String?) -> Bool {
            allowed.isEmpty || value.map { allowed.contains($0) } == true
        }
        return pass(sites, key.site) && pass(regions, key.region) && pass(targets, key.target)
            && pass(isps, key.isp) && pass(paths, key.path)
    }

    /// Whether a timestamp is inside the window.
    @inline(__always)
    package func keeps(timestamp: Int64) -> Bool {
        (since.map { timestamp >= $0 } ?? true) && (until.map { timestamp < $0 } ?? true)
    }

    /// The filters as `name=value` words, for the report header.
    package var descriptions: [String] {
        var words: [String] = []
        if let since { words.append("since=" + Timestamp.rfc3339(microseconds: since)) }
        if let until { words.append("until=" + Timestamp.rfc3339(microseconds: until)) }
        for (name, values) in [
            ("site", sites), ("region", regions), ("target", targets), ("isp", isps),
            ("path", paths),
        ] where !values.isEmpty {
            words.append(name + "=" + values.joined(separator: ","))
        }
        return words
    }
}
