import ProbeCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing to the terminal without Foundation: plain `write(2)` on file descriptors.
enum Terminal {
    /// True when standard output is a terminal (the summary table is printed only then).
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// The terminal's width in columns when standard output is a terminal that says, else nil.
    static var columns: Int? {
        var size = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
            return nil
        }
        return Int(size.ws_col)
    }

    /// Writes `text` and a newline to standard output.
    static func print(_ text: String) {
        write(STDOUT_FILENO, text + "\n")
    }

    /// Writes `text` and a newline to standard error.
    static func error(_ text: String) {
        write(STDERR_FILENO, text + "\n")
    }

    /// Writes a warning for the user to standard error.
    static func warning(_ text: String) {
        error("peering-probe: warning: \(text)")
    }

    /// Writes a note for the user to standard error: something done on their behalf, such as a batch that
    /// retention deleted.
    static func note(_ text: String) {
        error("peering-probe: note: \(text)")
    }

    /// Ends the process with `status`. Only ``PeeringProbe/main()`` calls it.
    static func exit(_ status: ExitStatus) -> Never {
        Glibc.exit(status.rawValue)
    }

    /// Best effort: a terminal that went away is not worth failing the job for.
    private static func write(_ fd: Int32, _ text: String) {
        try? FileIO.writeAll(fd, Array(text.utf8), path: "terminal")
    }
}
