/// What the spool reports to the metrics: batches finished, samples dropped, the buffer's fill, retention.
package struct SpoolEvents: Sendable {
    /// A batch was finished (moved into place).
    package var batchFinished: @Sendable () -> Void
    /// Samples were dropped because the buffer was full.
    package var samplesDropped: @Sendable (Int) -> Void
    /// Samples now waiting in memory for the disk.
    package var buffered: @Sendable (Int) -> Void
    /// Finished batches were deleted by retention.
    package var retentionDeleted: @Sendable (Int) -> Void

    /// Makes the events.
    package init(
        batchFinished: @escaping @Sendable () -> Void = {},
        samplesDropped: @escaping @Sendable (Int) -> Void = { _ in },
        buffered: @escaping @Sendable (Int) -> Void = { _ in },
        retentionDeleted: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.batchFinished = batchFinished
        self.samplesDropped = samplesDropped
        self.buffered = buffered
        self.retentionDeleted = retentionDeleted
    }
}
