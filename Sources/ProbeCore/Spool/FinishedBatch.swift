#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A finished batch in an agent's day folders (`AGENT/YYYY-MM-DD/ID.ndjson` or `ID.ndjson.gz`): what retention
/// may delete and what export ships. Hidden files, temporary batches among them, are never finished batches.
public struct FinishedBatch: Sendable, Hashable {
    /// The batch id, its file name without `.ndjson` or `.ndjson.gz`: the key export keeps per sink.
    public var id: String
    /// The file name.
    public var name: String
    /// The day folder's name, `YYYY-MM-DD`.
    public var day: String
    /// The file's path.
    public var path: String
    /// Its size in bytes.
    public var bytes: Int64
    /// When the batch was opened, µs since the epoch: the time its id carries, else the file's modification time.
    public var time: Int64

    /// Whether the file is gzip-compressed (`.ndjson.gz`).
    public var isCompressed: Bool { name.hasSuffix(BatchFileName.compressedSuffix) }

    /// Every finished batch of `folder`, oldest first (by the time its id carries, then its first `seq`, then its
    /// name), so shipping and deleting go in the order the batches were written.
    public static func list(in folder: OutputFolder) -> [FinishedBatch] {
        var out: [FinishedBatch] = []
        for day in FileIO.list(folder.agentFolder) where BatchID.isDay(day) {
            let dayFolder = folder.path(day)
            guard let info = try? FileIO.linkStatus(dayFolder), (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            for name in FileIO.list(dayFolder) where BatchFileName.isFinishedBatch(name) {
                let path = dayFolder + "/" + name
                guard let file = try? FileIO.linkStatus(path), (file.st_mode & S_IFMT) == S_IFREG else { continue }
                let modified = Int64(file.st_mtim.tv_sec) * 1_000_000 + Int64(file.st_mtim.tv_nsec) / 1_000
                let time = BatchID.openedMicroseconds(ofBatch: name) ?? modified
                out.append(
                    FinishedBatch(
                        id: id(ofFile: name), name: name, day: day, path: path, bytes: Int64(file.st_size), time: time))
            }
        }
        out.sort {
            ($0.time, BatchFileName.firstSeq(ofBatch: $0.name) ?? 0, $0.name)
                < ($1.time, BatchFileName.firstSeq(ofBatch: $1.name) ?? 0, $1.name)
        }
        return out
    }

    /// The batch id of a finished batch's file name.
    package static func id(ofFile name: String) -> String {
        var base = name.hasSuffix(BatchFileName.compressedSuffix)
            ? String(name.dropLast(BatchFileName.compressedSuffix.count)) : name
        if base.hasSuffix(BatchFileName.fileExtension) { base = String(base.dropLast(BatchFileName.fileExtension.count)) }
        return base
    }
}
