#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard input, output and error (descriptors 0, 1 and 2) as the process found them.
///
/// A process started with one of them closed would hand that number to the next file or socket it opens
/// (libcurl's, say), and then write standard output into it. ``PeeringProbe/main()`` reads
/// ``closedAtStart`` first thing, which puts `/dev/null` on every closed one; a command that needs one of
/// them (`probe --out -`) asks whether it was closed and fails instead.
enum StandardStreams {
    /// The standard descriptors that were closed at start, now open on `/dev/null`.
    static let closedAtStart: Set<Int32> = reopenClosed()

    /// True when standard output was closed at start.
    static var outputWasClosed: Bool { closedAtStart.contains(STDOUT_FILENO) }

    private static func reopenClosed() -> Set<Int32> {
        var closed: Set<Int32> = []
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
            guard fcntl(descriptor, F_GETFD) == -1, errno == EBADF else { continue }
            closed.insert(descriptor)
            let null = open("/dev/null", O_RDWR)
            if null >= 0, null != descriptor {
                _ = dup2(null, descriptor)
                close(null)
            }
        }
        return closed
    }
}
