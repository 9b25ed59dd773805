#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A batch that stays open while lines are added to it, as the continuous agent keeps one: a temporary file
/// `.ID.ndjson.tmp-PID-RANDOM` in its day folder, held under a `flock` (so recovery leaves it alone while its
/// writer lives), that ``append(_:)`` extends by whole lines and ``finish()`` flushes and moves into place as
/// `ID.ndjson` (only if no file has that name).
///
/// A reader never sees the batch before it is finished. After a crash the lines already appended are in the
/// temporary file, and ``BatchWriter/recoverTemporaryBatches()`` turns them into the batch on the next start.
/// A failed ``append(_:)`` leaves the file as it was before the call (a partial write is cut off), so the
/// same lines can be appended again later. Not thread-safe: one owner drives it.
public final class OpenBatch {
    /// The batch id, `AGENT-YYYYMMDDTHHMMSSZ-FIRSTSEQ`.
    public let id: String
    /// The finished batch's path, `OUT/AGENT/DAY/ID.ndjson`.
    public let path: String
    /// The temporary file's path.
    public let temporaryPath: String
    /// Lines appended so far.
    public private(set) var lines = 0
    /// Bytes appended so far (the length of the file's complete lines).
    public private(set) var bytes: Int64 = 0
    private var fd: Int32

    /// Opens batch `id` in day folder `day` of `folder`: creates the day folder and the temporary file under
    /// the folder's lock, and locks the file. Throws when the disk refuses.
    public init(in folder: OutputFolder, id: String, day: String) throws(SpoolError) {
        let dayFolder = folder.path(day)
        let path = dayFolder + "/" + BatchFileName.name(id: id)
        let temporary = try folder.withLock { () throws(SpoolError) in
            try FileIO.makeDirectories(dayFolder)
            let temporary = try FileIO.createTemporary(for: path)
            flock(temporary.fd, LOCK_EX)
            return temporary
        }
        self.id = id
        self.path = path
        self.temporaryPath = temporary.path
        self.fd = temporary.fd
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends `contents`, `count` whole NDJSON lines, at the end of the lines appended so far. On failure the
    /// file is cut back to those lines (as far as the disk allows; a later append or ``finish()`` overwrites
    /// or cuts off whatever stayed) and the error is thrown: nothing counts as appended.
    public func append(_ contents: [UInt8], lines count: Int) throws(SpoolError) {
        var written = 0
        while written < contents.count {
            let result = contents.withUnsafeBytes { raw in
                pwrite(fd, raw.baseAddress! + written, raw.count - written, off_t(bytes) + off_t(written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                let why = FileIO.reason()
                _ = ftruncate(fd, off_t(bytes))
                throw SpoolError(path: temporaryPath, action: "write", reason: why)
            }
            written += result
        }
        bytes += Int64(contents.count)
        lines += count
    }

    /// Gives the batch up: removes its temporary file and closes it. For a writer that could not write it
    /// and must leave nothing behind.
    public func discard() {
        guard fd >= 0 else { return }
        unlink(temporaryPath)
        close(fd)
        fd = -1
    }

    /// Finishes the batch: cuts off anything after the appended lines, flushes the file to disk, moves it to
    /// ``path`` (never over an existing file) and flushes the folder. Returns the path. On failure the batch
    /// stays open, its lines in the temporary file, and finishing can be tried again.
    @discardableResult
    public func finish() throws(SpoolError) -> String {
        guard fd >= 0 else { return path }
        guard ftruncate(fd, off_t(bytes)) == 0, fsync(fd) == 0 else {
            throw SpoolError(path: temporaryPath, action: "flush", reason: FileIO.reason())
        }
        try FileIO.placeExclusively(temporaryPath, at: path)
        FileIO.syncDirectory(containing: path)
        close(fd)
        fd = -1
        return path
    }
}
