internal import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where ``AgentLogHandler`` writes: a file descriptor (standard error by default) shared by every logger of
/// the process, writing each line whole.
///
/// A line is handed to one `write(2)` call under a lock, so lines logged from different threads never
/// interleave; a short write (a full pipe) is continued before the lock is released. A line that cannot be
/// written (the reader is gone, the disk is full) is dropped: logging never stops the agent. The descriptor is
/// not closed by this type.
///
/// When the descriptor is systemd's journal stream, each line starts with its syslog priority (`<4>` for a
/// warning, sd-daemon(3)), which journald takes off and keeps as the entry's priority, so
/// `journalctl -p warning` selects by level.
package final class LogOutput: Sendable {
    /// The file descriptor lines go to.
    package let fileDescriptor: Int32
    /// Whether lines start with their syslog priority (`<6>`), for journald.
    package let priorityPrefixes: Bool
    private let lock = Mutex<Void>(())

    /// An output writing to `fileDescriptor` (standard error unless a test passes a pipe or file), with syslog
    /// priority prefixes when `priorityPrefixes` is true.
    package init(fileDescriptor: Int32 = STDERR_FILENO, priorityPrefixes: Bool = false) {
        self.fileDescriptor = fileDescriptor
        self.priorityPrefixes = priorityPrefixes
    }

    /// Whether `fileDescriptor` is the journal stream systemd connected the service to: `journalStream` (the
    /// value of `JOURNAL_STREAM`, `DEVICE:INODE`, systemd.exec(5)) names the descriptor's device and inode.
    package static func isJournalStream(fileDescriptor: Int32, journalStream: String?) -> Bool {
        guard let journalStream else { return false }
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    /// Writes `line` (which should end in a newline) whole; false when it could not be written and was dropped.
    @discardableResult
    package func write(_ line: String) -> Bool {
        var line = line
        return line.withUTF8 { bytes in
            lock.withLock { _ in writeAll(bytes) }
        }
    }

    private func writeAll(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        var waits = 0
        while offset < bytes.count {
            #if canImport(Glibc)
                let written = Glibc.write(fileDescriptor, base + offset, bytes.count - offset)
            #else
                let written = Darwin.write(fileDescriptor, base + offset, bytes.count - offset)
            #endif
            if written > 0 {
                offset += written
                continue
            }
            let code = errno
            if written < 0 && code == EINTR { continue }
            // A non-blocking descriptor that is full: wait for room, a few seconds at most.
            if written < 0 && (code == EAGAIN || code == EWOULDBLOCK) && waits < 50 {
                waits += 1
                var entry = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&entry, 1, 100)
                continue
            }
            return false
        }
        return true
    }
}
