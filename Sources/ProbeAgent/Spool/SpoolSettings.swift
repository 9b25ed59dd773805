package import ProbeCore

/// How the agent's spool batches and buffers samples (the config's `output` section).
package struct SpoolSettings: Sendable, Hashable {
    /// A batch is finished after the round that brings it to this many samples.
    package var batchSize: Int
    /// A batch is finished when it has been open this long.
    package var batchAge: Duration
    /// Samples held in memory at most while the disk fails; beyond, the oldest are dropped.
    package var buffer: Int
    /// Which finished batches are deleted (`output.retention` and `output.retention_size`).
    package var retention: BatchRetention
    /// The longest wait between two attempts to write to a failing disk.
    package var maximumBackoff: Duration = .seconds(30)

    /// Makes settings.
    package init(batchSize: Int, batchAge: Duration, buffer: Int, retention: BatchRetention = BatchRetention()) {
        self.batchSize = batchSize
        self.batchAge = batchAge
        self.buffer = buffer
        self.retention = retention
    }

    /// The settings of a config's `output` section.
    package init(_ output: OutputSettings) {
        self.init(
            batchSize: output.batchMaxSamples, batchAge: output.batchMaxAge, buffer: output.bufferSamples,
            retention: BatchRetention(output))
    }
}
