/// Where batches go: an output folder, or standard output.
public enum OutputDestination: Sendable, Hashable {
    /// A batch file in this output folder, with `seq` and round state kept there.
    case folder(String)
    /// Standard output, with no state: `seq` starts at 1 and the batch id is a fresh run id.
    case standardOutput
}
