/// A batch that a crashed writer left as a temporary file and ``BatchWriter/recoverTemporaryBatches()``
/// finished: where it is now, how many complete lines it kept, and whether a torn last line was dropped.
public struct RecoveredBatch: Sendable, Hashable {
    /// The finished batch's path.
    public var path: String
    /// The complete lines kept.
    public var lines: Int
    /// True when the file ended in a torn (incomplete) line, which was dropped.
    public var droppedTornLine: Bool

    /// Makes a record of a recovered batch.
    public init(path: String, lines: Int, droppedTornLine: Bool) {
        self.path = path
        self.lines = lines
        self.droppedTornLine = droppedTornLine
    }
}
