extension OutputFolder {
    /// The state file that remembers each path's egress between runs, `AGENT/paths.state`.
    public static let egressStateName = "paths.state"

    /// What the folder remembers of each path's egress; empty when nothing is remembered yet.
    public func readEgressState() throws(SpoolError) -> EgressState {
        EgressState(text: try readState(Self.egressStateName) ?? "")
    }

    /// Remembers `state` for the next run, replacing the file atomically.
    public func writeEgressState(_ state: EgressState) throws(SpoolError) {
        try writeState(Self.egressStateName, state.text)
    }
}
