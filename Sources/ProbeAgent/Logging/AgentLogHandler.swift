package import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The agent's swift-log backend: one line per event on standard error, as text or JSON (``LogFormat``).
///
/// Bootstrap it once, in the command line, before any logger is made, then pass `Logger` values down:
///
/// ```swift
/// LoggingSystem.bootstrap(AgentLogHandler.factory(format: .json, level: .info))
/// let logger = Logger(label: "peering-probe")
/// logger.warning("round overran", metadata: ["target": "entra-id", "late_ms": .stringConvertible(120)])
/// ```
///
/// Every handler the factory makes writes through the same ``LogOutput``, so each line is one `write(2)` and
/// lines from different threads never interleave. Levels are swift-log's and are written by their own names
/// (`trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`); `logLevel` is the lowest level written.
/// The handler's own metadata, its metadata provider's and the event's are merged in that order, later ones
/// winning.
package struct AgentLogHandler: LogHandler {
    /// The lowest level written; events below it are dropped by `Logger` before they are formatted.
    package var logLevel: Logger.Level
    /// Metadata added to every event of this handler (`logger[metadataKey:]`).
    package var metadata: Logger.Metadata = [:]
    /// Metadata computed for every event (task-local context), merged after ``metadata``.
    package var metadataProvider: Logger.MetadataProvider?
    /// How lines are written.
    package let format: LogFormat
    private let output: LogOutput
    private let clock: @Sendable () -> Int64

    /// A handler writing `format` lines of `level` and above to `output`; `clock` gives the wall-clock time in
    /// microseconds since the Unix epoch (tests pin it).
    package init(
        format: LogFormat, level: Logger.Level, output: LogOutput,
        metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> Int64 = AgentLogHandler.wallClockMicroseconds
    ) {
        self.format = format
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
        self.clock = clock
    }

    /// The factory to hand to `LoggingSystem.bootstrap` once per process: every logger it makes writes `format`
    /// lines of `level` and above to `fileDescriptor` (standard error by default) through one shared output,
    /// with syslog priority prefixes when the descriptor is systemd's journal stream (`JOURNAL_STREAM`).
    package static func factory(
        format: LogFormat, level: Logger.Level, fileDescriptor: Int32 = STDERR_FILENO
    ) -> @Sendable (String) -> any LogHandler {
        let journalStream = getenv("JOURNAL_STREAM").map { String(cString: $0) }
        let output = LogOutput(
            fileDescriptor: fileDescriptor,
            priorityPrefixes: LogOutput.isJournalStream(fileDescriptor: fileDescriptor, journalStream: journalStream))
        return { _ in AgentLogHandler(format: format, level: level, output: output) }
    }

    /// Writes `event` as one line: its metadata merged over the handler's and the provider's.
    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, new in new }
        }
        let line = LogLine(
            microseconds: clock(), level: event.level, message: event.message.description, metadata: merged,
            error: event.error)
        let text = line.rendered(as: format)
        output.write(output.priorityPrefixes ? "<\(event.level.syslogPriority)>" + text : text)
    }

    /// One entry of ``metadata``.
    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The current wall-clock time (`CLOCK_REALTIME`) in microseconds since the Unix epoch.
    package static func wallClockMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
