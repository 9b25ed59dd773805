internal import ProbeCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a rendered report goes: standard output, or a file.
///
/// A regular file (or a new one) is replaced atomically: the report is written to a temporary file in the same
/// folder, flushed, then renamed over the old one, so a report that fails half-way never leaves a half-written
/// file where the old one was. Anything else that already exists there, such as a device, a FIFO or
/// `/dev/stdout`, is written through the opened file and never replaced; so is a symbolic link, which keeps
/// pointing where it did. Every write error is thrown: a report that was not written is never a success.
public enum ReportDestination: Sendable, Hashable {
    /// Standard output.
    case standardOutput
    /// The file at this path.
    case file(String)

    /// The destination a command-line argument names: `-` is standard output, anything else a file.
    public init(argument: String) {
        self = argument == "-" ? .standardOutput : .file(argument)
    }

    /// Writes `text`; throws an environment fault (``ReportError/isEnvironmentFault``) naming the file and the
    /// reason when it cannot.
    public func write(_ text: String) throws(ReportError) {
        let bytes = Array(text.utf8)
        switch self {
        case .standardOutput:
            try Self.writeAll(STDOUT_FILENO, bytes, name: "standard output")
        case .file(let path):
            var link = stat()
            var target = stat()
            let exists = lstat(path, &link) == 0
            if !exists || ((link.st_mode & S_IFMT) == S_IFREG) {
                try Self.replace(path, with: bytes, mode: exists ? link.st_mode & 0o7777 : nil)
            } else {
                let regular = stat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFREG
                try Self.writeThrough(path, bytes, truncate: regular)
            }
        }
    }

    private static func failure(_ name: String) -> ReportError {
        .environment("cannot write \(name): \(String(cString: strerror(errno)))")
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], name: String) throws(ReportError) {
        do {
            try FileIO.writeAll(fd, bytes, path: name)
        } catch {
            throw .environment("cannot write \(name): \(error.reason)")
        }
    }

    /// Writes into the existing file at `path` (a device, a FIFO, or whatever a link points at).
    private static func writeThrough(_ path: String, _ bytes: [UInt8], truncate: Bool) throws(ReportError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC | (truncate ? O_TRUNC : 0))
        guard fd >= 0 else { throw failure(path) }
        defer { close(fd) }
        try writeAll(fd, bytes, name: path)
    }

    /// Writes a temporary file beside `path`, flushes it and renames it over `path`, through the spool's own
    /// atomic write. The new file keeps the permissions of the one it replaces (`mode`), else gets 0644 less the
    /// umask.
    private static func replace(_ path: String, with bytes: [UInt8], mode: mode_t?) throws(ReportError) {
        do {
            let temporary = try FileIO.createTemporary(for: path)
            if let mode { fchmod(temporary.fd, mode) }
            try FileIO.finish(temporary, with: bytes, at: path, exclusive: false)
        } catch {
            throw .environment("cannot write \(path): \(error.reason)")
        }
    }
}
