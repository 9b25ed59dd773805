import CurlKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Deletes an agent's oldest finished batches: those older than ``maxAge`` (`output.retention`), and more of
/// the oldest while the finished batches total more than ``maxBytes`` bytes (`output.retention_size`).
///
/// Only finished batches in the agent's day folders count, `AGENT/YYYY-MM-DD/*.ndjson` and `*.ndjson.gz`;
/// hidden files, among them every temporary batch (so a writer's open batch), state files and anything else
/// are never touched. A batch's age is the time its id carries (`AGENT-YYYYMMDDTHHMMSSZ-FIRSTSEQ`: when the
/// batch was opened, UTC), so copying, touching or restoring files does not change what is kept; a file whose
/// name carries no time is judged by its modification time. Oldest first, by that time. A day folder emptied
/// by the deletions is removed. It all happens under the folder's lock (``OutputFolder/withLock(_:)``).
///
/// `probe` applies it after writing its batch, `run` after each finished batch:
/// ```swift
/// let outcome = BatchRetention(config.output).apply(to: folder)
/// for deletion in outcome.deletions { log(deletion.description) }
/// ```
public struct BatchRetention: Sendable, Hashable {
    /// Batches opened longer ago than this are deleted; nil deletes none for age.
    public var maxAge: Duration?
    /// The oldest batches are deleted while all finished batches total more bytes than this; nil sets no limit.
    public var maxBytes: Int64?

    /// Retention by age, by size, both, or (without arguments) none.
    public init(maxAge: Duration? = nil, maxBytes: Int64? = nil) {
        self.maxAge = maxAge
        self.maxBytes = maxBytes
    }

    /// The retention a config's `output` section asks for: `retention` and `retention_size`.
    public init(_ output: OutputSettings) {
        self.init(maxAge: output.retention, maxBytes: output.retentionSize)
    }

    /// True when there is a limit, so ``apply(to:now:keeping:)`` may delete something.
    public var isEnabled: Bool { maxAge != nil || maxBytes != nil }

    /// One batch file retention deleted.
    public struct Deletion: Sendable, Hashable, CustomStringConvertible {
        /// Why a batch was deleted.
        public enum Reason: Sendable, Hashable {
            /// It was older than `retention`, this limit.
            case age(limit: Duration)
            /// The finished batches totalled more than `retention_size`, this many bytes.
            case size(limit: Int64)

            /// `age` or `size`, for a log field or a metric label.
            public var name: String {
                switch self {
                case .age: "age"
                case .size: "size"
                }
            }
        }

        /// The deleted file.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int64
        /// Why it was deleted.
        public var reason: Reason

        /// Makes a deletion record.
        public init(path: String, bytes: Int64, reason: Reason) {
            self.path = path
            self.bytes = bytes
            self.reason = reason
        }

        /// One line for people: `retention deleted 'PATH' (N bytes): older than 30d`, or `...: the batches
        /// total more than 2GiB`.
        public var description: String {
            let why =
                switch reason {
                case .age(let limit): "older than \(ConfigValues.text(limit)) (retention)"
                case .size(let limit): "the batches total more than \(ByteSize(bytes: limit)) (retention_size)"
                }
            return "retention deleted '\(MessageText.escaped(path))' (\(bytes) bytes): \(why)"
        }
    }

    /// What one pass did: the deletions, oldest first, and what could not be done (the lock could not be taken,
    /// a file could not be deleted). Retention never stops probing: the caller logs both and goes on.
    public struct Outcome: Sendable {
        /// The batches deleted, oldest first.
        public var deletions: [Deletion] = []
        /// Faults met on the way, each an environment problem worth a warning.
        public var problems: [SpoolError] = []
    }

    /// Deletes what the limits say from `folder`, oldest batch first. `now` is the wall-clock time in
    /// microseconds since the Unix epoch that ages are measured against (nil: the clock's time); the paths in
    /// `keeping` (such as the batch just written) are never deleted but count towards the total size.
    public func apply(
        to folder: OutputFolder, now: Int64? = nil, keeping: Set<String> = []
    ) -> Outcome {
        guard isEnabled else { return Outcome() }
        var outcome = Outcome()
        do throws(SpoolError) {
            try folder.withLock { () throws(SpoolError) in
                outcome = deleteOldest(in: folder, now: now ?? MultiHandle.wallClockMicroseconds(), keeping: keeping)
            }
        } catch {
            outcome.problems.append(error)
        }
        return outcome
    }

    /// A finished batch found in a day folder.
    private struct Candidate {
        var path: String
        var day: String
        var name: String
        var bytes: Int64
        /// Microseconds since the epoch: the id's time, else the file's modification time.
        var time: Int64
    }

    /// The work of ``apply(to:now:keeping:)``, under the folder's lock.
    private func deleteOldest(in folder: OutputFolder, now: Int64, keeping: Set<String>) -> Outcome {
        var outcome = Outcome()
        var candidates = Self.finishedBatches(in: folder)
        candidates.sort { ($0.time, $0.name) < ($1.time, $1.name) }
        var total = candidates.reduce(Int64(0)) { $0 &+ $1.bytes }
        let oldestKept = maxAge.map { now - $0.microseconds }
        var emptied: Set<String> = []
        for candidate in candidates {
            let reason: Deletion.Reason
            if let oldestKept, let maxAge, candidate.time < oldestKept {
                reason = .age(limit: maxAge)
            } else if let maxBytes, total > maxBytes {
                reason = .size(limit: maxBytes)
            } else {
                break
            }
            if keeping.contains(candidate.path) { continue }
            if unlink(candidate.path) != 0 {
                guard errno == ENOENT else {
                    outcome.problems.append(
                        SpoolError(path: candidate.path, action: "delete old batch", reason: FileIO.reason()))
                    continue
                }
            } else {
                outcome.deletions.append(Deletion(path: candidate.path, bytes: candidate.bytes, reason: reason))
            }
            total -= candidate.bytes
            emptied.insert(candidate.day)
        }
        for day in emptied.sorted() {
            // Fails, leaving the folder, while anything is left in it (a temporary batch among them).
            rmdir(folder.path(day))
        }
        return outcome
    }

    /// Every finished batch in the day folders of `folder`, unsorted.
    private static func finishedBatches(in folder: OutputFolder) -> [Candidate] {
        var out: [Candidate] = []
        for day in FileIO.list(folder.agentFolder) where BatchID.isDay(day) {
            let dayFolder = folder.path(day)
            guard let info = try? FileIO.linkStatus(dayFolder), (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            for name in FileIO.list(dayFolder) where BatchFileName.isFinishedBatch(name) {
                let path = dayFolder + "/" + name
                guard let file = try? FileIO.linkStatus(path), (file.st_mode & S_IFMT) == S_IFREG else { continue }
                let modified = Int64(file.st_mtim.tv_sec) * 1_000_000 + Int64(file.st_mtim.tv_nsec) / 1_000
                let time = BatchID.openedMicroseconds(ofBatch: name) ?? modified
                out.append(Candidate(path: path, day: day, name: name, bytes: Int64(file.st_size), time: time))
            }
        }
        return out
    }
}
