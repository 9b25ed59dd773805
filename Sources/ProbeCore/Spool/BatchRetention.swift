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
        /// The export sinks that had not accepted it: its samples are lost to them (only `retention_size` deletes
        /// such a batch).
        public var unshippedSinks: [String]

        /// Makes a deletion record.
        public init(path: String, bytes: Int64, reason: Reason, unshippedSinks: [String] = []) {
            self.path = path
            self.bytes = bytes
            self.reason = reason
            self.unshippedSinks = unshippedSinks
        }

        /// One line for people: `retention deleted 'PATH' (N bytes): older than 30d`, or `...: the batches
        /// total more than 2GiB`.
        public var description: String {
            let why =
                switch reason {
                case .age(let limit): "older than \(ConfigValues.text(limit)) (retention)"
                case .size(let limit): "the batches total more than \(ByteSize(bytes: limit)) (retention_size)"
                }
            let lost =
                unshippedSinks.isEmpty
                ? ""
                : "; data lost: export sink\(unshippedSinks.count == 1 ? "" : "s") "
                    + unshippedSinks.map { "'\($0)'" }.joined(separator: ", ") + " never received it"
            return "retention deleted '\(MessageText.escaped(path))' (\(bytes) bytes): \(why)" + lost
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
    /// `unshipped` names the export sinks that have not accepted a batch: such a batch is kept past
    /// `retention`, and deleted only when `retention_size` forces it (its ``Deletion/unshippedSinks`` say so).
    public func apply(
        to folder: OutputFolder, now: Int64? = nil, keeping: Set<String> = [],
        unshipped: (FinishedBatch) -> [String] = { _ in [] }
    ) -> Outcome {
        guard isEnabled else { return Outcome() }
        var outcome = Outcome()
        do throws(SpoolError) {
            try folder.withLock { () throws(SpoolError) in
                outcome = deleteOldest(
                    in: folder, now: now ?? MultiHandle.wallClockMicroseconds(), keeping: keeping,
                    unshipped: unshipped)
            }
        } catch {
            outcome.problems.append(error)
        }
        return outcome
    }

    /// The work of ``apply(to:now:keeping:)``, under the folder's lock.
    private func deleteOldest(
        in folder: OutputFolder, now: Int64, keeping: Set<String>, unshipped: (FinishedBatch) -> [String]
    ) -> Outcome {
        var outcome = Outcome()
        let candidates = FinishedBatch.list(in: folder)
        var total = candidates.reduce(Int64(0)) { $0 &+ $1.bytes }
        let oldestKept = maxAge.map { now - $0.microseconds }
        var emptied: Set<String> = []
        for candidate in candidates {
            let reason: Deletion.Reason
            let sinks = unshipped(candidate)
            let old = oldestKept.map { candidate.time < $0 } ?? false
            if old, sinks.isEmpty, let maxAge {
                reason = .age(limit: maxAge)
            } else if let maxBytes, total > maxBytes {
                reason = .size(limit: maxBytes)
            } else if old {
                // Old, but a sink still waits for it: kept.
                continue
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
                outcome.deletions.append(
                    Deletion(path: candidate.path, bytes: candidate.bytes, reason: reason, unshippedSinks: sinks))
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
}
