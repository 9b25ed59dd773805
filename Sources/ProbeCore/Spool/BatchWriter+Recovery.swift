#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension BatchWriter {
    /// Recovers batches crashed writers left as temporary files, under the folder's lock: the complete lines
    /// of each become a proper batch under the name its writer meant, and a torn last line is dropped. A
    /// temporary batch still being written (its writer holds a `flock` on it) is left alone; anything at a
    /// temporary name that is not a regular file (a symbolic link, FIFO or device) is never followed or read,
    /// only reported in ``warnings``, as is a batch whose name is already taken (its lines stay in the
    /// temporary file). Stale temporary state files are removed. Returns what was recovered (nothing for
    /// standard output).
    @discardableResult
    public mutating func recoverTemporaryBatches() throws(SpoolError) -> [RecoveredBatch] {
        guard let folder else { return [] }
        var recovered: [RecoveredBatch] = []
        var notes: [String] = []
        try folder.withLock { () throws(SpoolError) in
            for name in FileIO.list(folder.agentFolder) {
                guard BatchFileName.finishedName(ofTemporaryFile: name) != nil,
                    !name.hasSuffix(BatchFileName.temporarySuffix)
                else { continue }
                // State files are only written under the lock: a temporary one seen now is a dead writer's.
                unlink(folder.path(name))
            }
            for day in FileIO.list(folder.agentFolder) where !BatchFileName.isHidden(day) {
                let dayFolder = folder.path(day)
                guard let info = try? FileIO.linkStatus(dayFolder), (info.st_mode & S_IFMT) == S_IFDIR else {
                    continue
                }
                for name in FileIO.list(dayFolder) {
                    guard let finalName = BatchFileName.finishedName(ofTemporary: name) else { continue }
                    let outcome = Self.recover(dayFolder + "/" + name, as: dayFolder + "/" + finalName)
                    if let batch = outcome.recovered { recovered.append(batch) }
                    if let note = outcome.warning { notes.append(note) }
                }
            }
        }
        warnings += notes
        return recovered
    }

    /// Recovers one temporary batch `temporary` as `path`; the caller holds the folder's lock. Returns the
    /// recovered batch, or a warning when the file was passed over.
    private static func recover(_ temporary: String, as path: String) -> (recovered: RecoveredBatch?, warning: String?)
    {
        let skipped = "skipped temporary batch '\(temporary)'"
        guard let before = try? FileIO.linkStatus(temporary) else { return (nil, nil) }
        guard (before.st_mode & S_IFMT) == S_IFREG else {
            return (nil, "\(skipped): \(FileIO.kind(before.st_mode)), not a regular file")
        }
        let fd: Int32
        do throws(SpoolError) {
            guard let opened = try FileIO.openRegular(temporary, flags: O_RDWR, action: "recover") else {
                return (nil, nil)
            }
            fd = opened
        } catch {
            return (nil, "\(skipped): \(error.reason)")
        }
        defer { close(fd) }
        // A writer still at work holds the lock; one that finished has moved or removed the name since.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return (nil, nil) }
        var now = stat()
        guard fstat(fd, &now) == 0, let still = try? FileIO.linkStatus(temporary), still.st_ino == now.st_ino,
            still.st_dev == now.st_dev
        else { return (nil, nil) }
        let bytes: [UInt8]
        do throws(SpoolError) {
            bytes = try FileIO.readAll(fd, path: temporary)
        } catch {
            return (nil, "\(skipped): \(error.reason)")
        }
        let complete = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        guard complete > 0 else {
            unlink(temporary)
            return (nil, nil)
        }
        if complete < bytes.count {
            guard ftruncate(fd, off_t(complete)) == 0, fsync(fd) == 0 else {
                return (nil, "\(skipped): cannot drop its torn last line: \(FileIO.reason())")
            }
        }
        do throws(SpoolError) {
            try FileIO.placeExclusively(temporary, at: path)
        } catch {
            // A crash between linking the batch into place and removing its temporary name leaves both.
            if let placed = try? FileIO.linkStatus(path), placed.st_ino == now.st_ino, placed.st_dev == now.st_dev {
                unlink(temporary)
                FileIO.syncDirectory(containing: path)
                return (nil, nil)
            }
            return (nil, "\(skipped): \(error.description)")
        }
        FileIO.syncDirectory(containing: path)
        let lines = bytes[..<complete].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return (RecoveredBatch(path: path, lines: lines, droppedTornLine: complete < bytes.count), nil)
    }
}
