#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output folder of one agent, `OUT/AGENT`: it holds the agent's batches in day folders (written by a
/// ``BatchWriter``) and small state files that must survive restarts, such as the next `seq` and round
/// (`state`) and what is known of each path's egress (`paths.state`); see <doc:RoundsAndBatches>.
public struct OutputFolder: Sendable {
    /// The `--out` / `output.dir` folder.
    public let root: String
    /// Agent id; names the agent's sub-folder and its batches.
    public let agent: String

    /// The agent's folder, `ROOT/AGENT`.
    public var agentFolder: String { root + "/" + agent }

    /// Opens (creating if needed) the folder; throws when it cannot be created or written.
    public init(root: String, agent: String) throws(SpoolError) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.agent = agent
        try FileIO.makeDirectories(agentFolder)
        guard access(agentFolder, W_OK) == 0 else {
            throw SpoolError(path: agentFolder, action: "write into", reason: FileIO.reason())
        }
    }

    /// The path of the file or folder `name` in the agent's folder.
    package func path(_ name: String) -> String { agentFolder + "/" + name }

    /// Reads the state file `AGENT/NAME`; nil when there is none yet.
    public func readState(_ name: String) throws(SpoolError) -> String? {
        try FileIO.readFile(path(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Replaces the state file `AGENT/NAME` atomically.
    public func writeState(_ name: String, _ text: String) throws(SpoolError) {
        let path = path(name)
        try FileIO.writeAtomically(Array(text.utf8), to: path, temporary: path + ".tmp")
    }
}
