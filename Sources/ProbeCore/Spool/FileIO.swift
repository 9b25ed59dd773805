#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small POSIX file helpers for the spool: everything goes through file descriptors, never through
/// `FileManager.createFile`, which replaces devices such as `/dev/stdout` with files.
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

    /// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk, then
    /// renamed, then the folder flushed, so a reader never sees half a file under the final name.
    static func writeAtomically(_ bytes: [UInt8], to path: String, temporary: String) throws(SpoolError) {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SpoolError(path: temporary, action: "create", reason: reason()) }
        do throws(SpoolError) {
            try writeAll(fd, bytes, path: temporary)
            guard fsync(fd) == 0 else { throw SpoolError(path: temporary, action: "flush", reason: reason()) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let why = reason()
            unlink(temporary)
            throw SpoolError(path: path, action: "rename batch into place", reason: why)
        }
        syncDirectory(containing: path)
    }

    /// Flushes the folder that holds `path`, so a rename survives a crash.
    static func syncDirectory(containing path: String) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Reads a whole file; nil when it does not exist.
    static func readFile(_ path: String) throws(SpoolError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SpoolError(path: path, action: "read", reason: reason())
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: path, action: "read", reason: reason())
            }
            if count == 0 { break }
            out.append(contentsOf: chunk[0..<count])
        }
        return out
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
