package import ProbeCore

/// The agent's output folder as `run` finds it at start: opened (created if needed, checked writable), the
/// temporary batches a crash left recovered, the next numbers and what is known of the paths' egress read.
package struct AgentFolder: Sendable {
    /// The folder.
    package var folder: OutputFolder
    /// This process's hold on the folder: no other `run`, and no `probe`, writes it while it lasts. Release it
    /// when the agent has stopped.
    package var owner: AgentFolderOwner
    /// The numbers the state file holds (or, when it was lost, rebuilt from the batches).
    package var counters: BatchCounters
    /// What is remembered of the paths' egress.
    package var egress: EgressState
    /// The batches recovered from temporary files.
    package var recovered: [RecoveredBatch]
    /// What had to be repaired or passed over, one line each, to log.
    package var warnings: [String]

    /// Opens `root` for `agent`'s batches, takes ownership of it and recovers what a crash left. Throws when
    /// the folder cannot be created, written or locked, or another `run` owns it (an environment fault).
    package init(root: String, agent: String) throws(SpoolError) {
        var writer = try BatchWriter(destination: .folder(root), agent: agent)
        guard let folder = writer.folder else { throw SpoolError(path: root, action: "open", reason: "not a folder") }
        owner = try AgentFolderOwner.acquire(folder)
        recovered = try writer.recoverTemporaryBatches()
        let (counters, warning) = try folder.withLock { () throws(SpoolError) in folder.readCounters() }
        self.folder = folder
        self.counters = counters
        self.warnings = writer.warnings + (warning.map { [$0] } ?? [])
        do throws(SpoolError) {
            egress = try folder.readEgressState()
        } catch {
            egress = EgressState()
            warnings.append("cannot read the paths' egress state (\(error)); discovering it again")
        }
    }
}
