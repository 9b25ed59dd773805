#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small POSIX file helpers for the spool: everything goes through file descriptors, never through
/// `FileManager.createFile`, which replaces devices such as `/dev/stdout` with files. Files the spool reads
/// back (state files, temporary batches) must be regular files: symbolic links are never followed, and
/// FIFOs and devices are never opened for reading.
package enum FileIO {
    static func reason() -> String { String(cString: strerror(errno)) }

    /// Creates `path` and its parents (like `mkdir -p`).
    static func makeDirectories(_ path: String) throws(SpoolError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") where !part.isEmpty {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw SpoolError(path: current, action: "create folder", reason: reason())
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SpoolError(path: path, action: "use folder", reason: "not a folder")
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SpoolError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: path, action: "write", reason: reason())
            }
            offset += written
        }
    }

    /// What kind of file `mode` describes, for messages about files that are not regular.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a FIFO"
        case S_IFDIR: "a folder"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    /// The `lstat` of `path` (symbolic links not followed); nil when it does not exist.
    static func linkStatus(_ path: String) throws(SpoolError) -> stat? {
        var info = stat()
        if lstat(path, &info) == 0 { return info }
        if errno == ENOENT { return nil }
        throw SpoolError(path: path, action: "look at", reason: reason())
    }

    /// Opens the regular file `path` with `flags` (plus `O_NOFOLLOW` and `O_CLOEXEC`); nil when it does not
    /// exist. A symbolic link, FIFO, device or folder is refused before it is opened (and checked again
    /// after, with `O_NONBLOCK` so that a FIFO swapped in cannot hang the open), so nothing but a regular
    /// file is ever read or written through it.
    static func openRegular(_ path: String, flags: Int32, action: String) throws(SpoolError) -> Int32? {
        guard let before = try linkStatus(path) else { return nil }
        guard (before.st_mode & S_IFMT) == S_IFREG else {
            throw SpoolError(path: path, action: action, reason: "\(kind(before.st_mode)), not a regular file")
        }
        let fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            let why = errno == ELOOP ? "a symbolic link, not a regular file" : reason()
            throw SpoolError(path: path, action: action, reason: why)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_ino == before.st_ino,
            info.st_dev == before.st_dev
        else {
            close(fd)
            throw SpoolError(path: path, action: action, reason: "replaced while opened, not a regular file")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// Reads all of `fd` from its current offset, at most `limit` bytes (more is an error).
    static func readAll(_ fd: Int32, path: String, limit: Int = .max) throws(SpoolError) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: path, action: "read", reason: reason())
            }
            if count == 0 { break }
            guard out.count + count <= limit else {
                throw SpoolError(path: path, action: "read", reason: "larger than \(limit) bytes")
            }
            out.append(contentsOf: chunk[0..<count])
        }
        return out
    }

    /// Reads the whole regular file `path` (at most `limit` bytes); nil when it does not exist. Throws for a
    /// symbolic link, FIFO, device or folder, which are never followed or read: for the spool's own files.
    static func readRegularFile(_ path: String, limit: Int) throws(SpoolError) -> [UInt8]? {
        guard let fd = try openRegular(path, flags: O_RDONLY, action: "read") else { return nil }
        defer { close(fd) }
        return try readAll(fd, path: path, limit: limit)
    }

    /// Reads a whole file the user named (following links; a FIFO is read to its end); nil when it does not
    /// exist.
    static func readFile(_ path: String) throws(SpoolError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SpoolError(path: path, action: "read", reason: reason())
        }
        defer { close(fd) }
        return try readAll(fd, path: path)
    }

    /// Creates a new, empty temporary file next to `path` under a name no other writer uses,
    /// `.NAME.tmp-PID-RANDOM` (see ``BatchFileName/temporaryName(of:)``), exclusively (`O_EXCL`, `O_NOFOLLOW`):
    /// a file or symbolic link already there is never opened. Returns its descriptor and path.
    package static func createTemporary(for path: String) throws(SpoolError) -> (fd: Int32, path: String) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var attempt = 0
        while true {
            let temporary = folder + BatchFileName.temporaryName(of: name)
            let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 { return (fd, temporary) }
            attempt += 1
            guard errno == EEXIST, attempt < 16 else {
                throw SpoolError(path: temporary, action: "create", reason: reason())
            }
        }
    }

    /// Moves the temporary file `temporary` to `path` only if nothing is there: it is linked under the new
    /// name (`link` fails with `EEXIST` rather than replacing) and its temporary name removed. Throws, keeping
    /// the temporary file, when `path` exists.
    static func placeExclusively(_ temporary: String, at path: String) throws(SpoolError) {
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        let linkError = errno
        // File systems without hard links: check, then rename (not atomic against a racing creator).
        if linkError == EPERM || linkError == ENOTSUP || linkError == EOPNOTSUPP || linkError == EMLINK {
            if try linkStatus(path) == nil, rename(temporary, path) == 0 { return }
        }
        errno = linkError
        let why = linkError == EEXIST ? "a file of that name exists and is never replaced" : reason()
        throw SpoolError(
            path: path, action: "move batch into place", reason: why + "; its lines are kept in '\(temporary)'")
    }

    /// Writes `bytes` to `path` atomically: a temporary file of its own in the same folder, flushed to disk,
    /// then renamed over `path` (or, when `exclusive`, moved there only if nothing is there), then the folder
    /// flushed, so a reader never sees half a file under the final name. `temporary` is a file from
    /// ``createTemporary(for:)``, which this closes.
    package static func finish(
        _ temporary: (fd: Int32, path: String), with bytes: [UInt8], at path: String, exclusive: Bool
    ) throws(SpoolError) {
        defer { close(temporary.fd) }
        do throws(SpoolError) {
            try writeAll(temporary.fd, bytes, path: temporary.path)
            guard fsync(temporary.fd) == 0 else {
                throw SpoolError(path: temporary.path, action: "flush", reason: reason())
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
        if exclusive {
            try placeExclusively(temporary.path, at: path)
        } else if rename(temporary.path, path) != 0 {
            let why = reason()
            unlink(temporary.path)
            throw SpoolError(path: path, action: "rename into place", reason: why)
        }
        syncDirectory(containing: path)
    }

    /// Replaces `path` atomically with `bytes` through a temporary file of its own (see
    /// ``finish(_:with:at:exclusive:)``).
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(SpoolError) {
        try finish(try createTemporary(for: path), with: bytes, at: path, exclusive: false)
    }

    /// Flushes the folder that holds `path`, so a rename survives a crash.
    static func syncDirectory(containing path: String) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(folder.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Names in a folder, without `.` and `..`; empty when the folder does not exist.
    package static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
