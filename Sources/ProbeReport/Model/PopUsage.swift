/// Which edge PoPs one path reached for one target, how often, and when the PoP changed.
public struct PopUsage: Sendable {
    /// Site.
    public var site: String?
    /// Target name.
    public var target: String
    /// Path name.
    public var path: String
    /// Path type (`peering-service`, ...).
    public var pathType: String
    /// Answered samples of this path and target.
    public var answered: Int
    /// PoPs by count, most frequent first; `nil` PoP (no edge header) counted as well.
    public var counts: [PopCount]
    /// Changes of PoP between consecutive answered samples in time order (samples without a PoP are passed
    /// over), at most ``PopUsage/changeListLimit`` listed; ``changeCount`` has them all.
    public var changes: [PopChange]
    /// Number of changes in all.
    public var changeCount: Int

    /// How many changes are listed.
    public static let changeListLimit = 20

    /// Makes a PoP usage record.
    public init(
        site: String?, target: String, path: String, pathType: String, answered: Int, counts: [PopCount],
        changes: [PopChange], changeCount: Int
    ) {
        self.site = site
        self.target = target
        self.path = path
        self.pathType = pathType
        self.answered = answered
        self.counts = counts
        self.changes = changes
        self.changeCount = changeCount
    }
}

/// One PoP's share of a path's answered samples.
public struct PopCount: Sendable, Hashable {
    /// Metro code, nil for samples without an edge header.
    public var pop: String?
    /// Samples that reached it.
    public var count: Int

    /// Makes a count.
    public init(pop: String?, count: Int) {
        self.pop = pop
        self.count = count
    }
}

/// The PoP changed between two consecutive samples.
public struct PopChange: Sendable, Hashable {
    /// Start of the first sample at the new PoP (µs).
    public var timestamp: Int64
    /// The PoP before.
    public var from: String
    /// The PoP after.
    public var to: String

    /// Makes a change record.
    public init(timestamp: Int64, from: String, to: String) {
        self.timestamp = timestamp
        self.from = from
        self.to = to
    }
}
