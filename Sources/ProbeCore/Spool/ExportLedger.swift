#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one export sink has of an agent's batches, kept in the agent's folder so that a restart (of `run` or of
/// a cron `export`) resumes where the last one stopped: the batches the sink accepted, the failed attempts of
/// batches it has not, the batches set aside, and whether the sink is paused by an answer only a config change
/// can fix.
///
/// The ledger is `AGENT/.export/SINK.ledger`, one JSON object per line, appended and flushed to disk before the
/// caller goes on (a batch is recorded as shipped only after the sink accepted it; a crash in between ships it
/// again, which the sinks make harmless). A torn last line, from a crash in the middle of an append, is
/// ignored. When the file holds far more lines than the state it describes, or names batches retention has
/// deleted, it is rewritten atomically with just the state. Whoever ships to a sink holds the sink's lock
/// (`AGENT/.export/SINK.lock`), so two exports never ship the same sink at once; readers (retention, `--dry-run`)
/// read without it.
public struct ExportLedger: Sendable {
    /// One batch's failed attempts for the same reason, in a row.
    public struct Failure: Sendable, Hashable {
        /// The reason, as the sink's answer was classified (`http 500`, for example).
        public var reason: String
        /// Attempts that failed for it, one after another.
        public var attempts: Int
    }

    /// A sink stopped by an answer that retrying will not change (a 4xx other than 408 and 429), until its
    /// config changes.
    public struct Pause: Sendable, Hashable {
        /// The fingerprint of the sink's config when it was paused: another fingerprint resumes it.
        public var fingerprint: String
        /// The sink's answer, for people (never a secret).
        public var answer: String
    }

    /// What the ledger says.
    public struct State: Sendable, Hashable {
        /// Ids of the batches the sink accepted.
        public var shipped: Set<String> = []
        /// Failed attempts of batches not shipped yet, by batch id.
        public var failures: [String: Failure] = [:]
        /// Batches set aside after failing too often for the same reason, with that reason: shipped again only
        /// when asked (`export --resend`).
        public var setAside: [String: String] = [:]
        /// Set while the sink is paused.
        public var pause: Pause?

        /// Makes an empty state.
        public init() {}

        /// Whether the sink has accepted batch `id`.
        public func has(_ id: String) -> Bool { shipped.contains(id) }
    }

    /// The sink's name.
    public let sink: String
    /// The ledger file.
    public let path: String
    /// The state, as recorded so far.
    public private(set) var state: State
    private let lock: LedgerLock
    private var lines: Int

    /// The folder of the ledgers in an agent's folder.
    package static let folderName = ".export"

    /// Opens the ledger of `sink` in `folder` for shipping: takes the sink's lock (throws a ``SpoolError`` whose
    /// reason says so when another process holds it), reads the ledger, and rewrites it without the batches
    /// that are no longer in the folder (`present`, batch ids) when there are any, or when it has grown.
    public static func open(
        folder: OutputFolder, sink: String, present: Set<String>
    ) throws(SpoolError) -> ExportLedger {
        let directory = folder.path(folderName)
        try FileIO.makeDirectories(directory)
        let lock = try LedgerLock(path: directory + "/" + sink + ".lock")
        let path = directory + "/" + sink + ".ledger"
        let (state, lines, torn) = try read(path)
        var ledger = ExportLedger(sink: sink, path: path, state: state, lock: lock, lines: lines)
        let stale = ledger.state.mentions.subtracting(present)
        if !stale.isEmpty || torn || lines > 2 * ledger.state.recordCount + 64 {
            try ledger.rewrite(dropping: stale)
        }
        return ledger
    }

    /// The state of `sink`'s ledger in `folder`, read without its lock (for retention and `--dry-run`); an empty
    /// state when there is no ledger yet.
    public static func state(folder: OutputFolder, sink: String) throws(SpoolError) -> State {
        try read(folder.path(folderName) + "/" + sink + ".ledger").state
    }

    private init(sink: String, path: String, state: State, lock: LedgerLock, lines: Int) {
        self.sink = sink
        self.path = path
        self.state = state
        self.lock = lock
        self.lines = lines
    }

    // MARK: - Recording

    /// Records that the sink accepted batch `id`.
    public mutating func recordShipped(_ id: String) throws(SpoolError) {
        try append(["shipped": id])
        apply(.shipped(id))
    }

    /// Records a failed attempt to ship batch `id` for `reason`; returns the attempts that failed for that
    /// reason in a row, this one included (another reason starts again at 1).
    @discardableResult
    public mutating func recordFailure(_ id: String, reason: String) throws(SpoolError) -> Int {
        try append(["failed": id, "reason": reason])
        apply(.failed(id, reason))
        return state.failures[id]?.attempts ?? 1
    }

    /// Records that batch `id` is set aside for `reason`: not shipped again until ``recordResend()``.
    public mutating func recordSetAside(_ id: String, reason: String) throws(SpoolError) {
        try append(["aside": id, "reason": reason])
        apply(.aside(id, reason))
    }

    /// Records that the sink is paused with its config's `fingerprint`, because it answered `answer`.
    public mutating func recordPause(fingerprint: String, answer: String) throws(SpoolError) {
        try append(["paused": fingerprint, "answer": answer])
        apply(.paused(fingerprint, answer))
    }

    /// Records that the sink is no longer paused (its config changed).
    public mutating func recordResume() throws(SpoolError) {
        guard state.pause != nil else { return }
        try append(["resumed": "yes"])
        apply(.resumed)
    }

    /// Forgets everything the sink was sent, set aside or paused for, so that every batch is shipped again
    /// (`export --resend`, after a table was re-created).
    public mutating func recordResend() throws(SpoolError) {
        try append(["resend": "yes"])
        apply(.resend)
    }

    // MARK: - The file

    /// One line of the ledger.
    private enum Record {
        case shipped(String)
        case failed(String, String)
        case aside(String, String)
        case paused(String, String)
        case resumed
        case resend

        init?(_ fields: [String: String]) {
            if let id = fields["shipped"] {
                self = .shipped(id)
            } else if let id = fields["failed"], let reason = fields["reason"] {
                self = .failed(id, reason)
            } else if let id = fields["aside"], let reason = fields["reason"] {
                self = .aside(id, reason)
            } else if let fingerprint = fields["paused"], let answer = fields["answer"] {
                self = .paused(fingerprint, answer)
            } else if fields["resumed"] != nil {
                self = .resumed
            } else if fields["resend"] != nil {
                self = .resend
            } else {
                return nil
            }
        }
    }

    private mutating func apply(_ record: Record) {
        Self.apply(record, to: &state)
    }

    private static func apply(_ record: Record, to state: inout State) {
        switch record {
        case .shipped(let id):
            state.shipped.insert(id)
            state.failures[id] = nil
            state.setAside[id] = nil
        case .failed(let id, let reason):
            let previous = state.failures[id]
            state.failures[id] = Failure(
                reason: reason, attempts: previous?.reason == reason ? previous!.attempts + 1 : 1)
        case .aside(let id, let reason):
            state.setAside[id] = reason
            state.failures[id] = nil
        case .paused(let fingerprint, let answer):
            state.pause = Pause(fingerprint: fingerprint, answer: answer)
        case .resumed:
            state.pause = nil
        case .resend:
            state = State()
        }
    }

    /// Reads a ledger file: its state, its lines, and whether its last line was torn (or any line unreadable).
    private static func read(_ path: String) throws(SpoolError) -> (state: State, lines: Int, torn: Bool) {
        guard let bytes = try FileIO.readFile(path) else { return (State(), 0, false) }
        var state = State()
        var lines = 0
        var torn = false
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            lines += 1
            guard case .object(let object)? = try? JSONParser.parse(line) else {
                torn = true
                continue
            }
            var fields: [String: String] = [:]
            for (key, value) in object {
                if case .string(let text) = value { fields[key] = text }
            }
            guard let record = Record(fields) else {
                torn = true
                continue
            }
            apply(record, to: &state)
        }
        if let last = bytes.last, last != UInt8(ascii: "\n") { torn = true }
        return (state, lines, torn)
    }

    private static func line(_ fields: KeyValuePairs<String, String>) -> String {
        "{" + fields.map { JSONStringLiteral.quoted($0.key) + ":" + JSONStringLiteral.quoted($0.value) }
            .joined(separator: ",") + "}\n"
    }

    /// Appends one record and flushes it to disk.
    private mutating func append(_ fields: KeyValuePairs<String, String>) throws(SpoolError) {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SpoolError(path: path, action: "open export ledger", reason: FileIO.reason()) }
        defer { close(fd) }
        try FileIO.writeAll(fd, Array(Self.line(fields).utf8), path: path)
        guard fdatasync(fd) == 0 else {
            throw SpoolError(path: path, action: "flush export ledger", reason: FileIO.reason())
        }
        lines += 1
    }

    /// Replaces the file with the state alone, less the batches in `dropping`.
    private mutating func rewrite(dropping stale: Set<String>) throws(SpoolError) {
        for id in stale {
            state.shipped.remove(id)
            state.failures[id] = nil
            state.setAside[id] = nil
        }
        var text = ""
        for id in state.shipped.sorted() { text += Self.line(["shipped": id]) }
        for (id, failure) in state.failures.sorted(by: { $0.key < $1.key }) {
            for _ in 0..<failure.attempts { text += Self.line(["failed": id, "reason": failure.reason]) }
        }
        for (id, reason) in state.setAside.sorted(by: { $0.key < $1.key }) {
            text += Self.line(["aside": id, "reason": reason])
        }
        if let pause = state.pause { text += Self.line(["paused": pause.fingerprint, "answer": pause.answer]) }
        try FileIO.writeAtomically(Array(text.utf8), to: path)
        lines = state.recordCount
    }
}

extension ExportLedger.State {
    /// Every batch id the state names.
    fileprivate var mentions: Set<String> {
        shipped.union(failures.keys).union(setAside.keys)
    }

    /// The lines a rewritten ledger holds.
    fileprivate var recordCount: Int {
        shipped.count + failures.values.reduce(0) { $0 + $1.attempts } + setAside.count + (pause == nil ? 0 : 1)
    }
}

/// The exclusive `flock` on a sink's lock file, held from ``ExportLedger/open(folder:sink:present:)`` until the
/// last copy of the ledger goes.
private final class LedgerLock: Sendable {
    private let fd: Int32

    init(path: String) throws(SpoolError) {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SpoolError(path: path, action: "open export lock", reason: FileIO.reason()) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EINTR else {
                let why = errno == EWOULDBLOCK ? "another export is shipping to this sink" : FileIO.reason()
                close(fd)
                throw SpoolError(path: path, action: "lock", reason: why)
            }
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
