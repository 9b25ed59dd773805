/// Who measured: the agent, site and region stamped on every sample, and the rules that name the edge a
/// response came from. Built once from the config (``init(config:)``) and given to a ``RoundRunner``.
public struct AgentIdentity: Sendable, Hashable {
    /// Agent id; also names the agent's output folder and its batches.
    public var agent: String
    /// Site label, if any.
    public var site: String?
    /// Region label, if any.
    public var region: String?
    /// Edge rules, in the order they are tried.
    public var edgeRules: [EdgeRule]

    /// Makes an identity from its parts.
    public init(
        agent: String, site: String? = nil, region: String? = nil, edgeRules: [EdgeRule] = EdgeRule.defaultRules
    ) {
        self.agent = agent
        self.site = site
        self.region = region
        self.edgeRules = edgeRules
    }

    /// The identity a config describes: its ``ProbeConfig/agentID``, site, region and effective edge rules.
    public init(config: ProbeConfig) {
        self.init(agent: config.agentID, site: config.site, region: config.region, edgeRules: config.effectiveEdgeRules)
    }
}
