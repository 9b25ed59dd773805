import ProbeCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exit codes of DESIGN.md.
enum ExitStatus: Int32 {
    /// The job ran and wrote everything, failed probes included.
    case success = 0
    /// `probe --strict` and at least one sample is not ok.
    case notOK = 1
    /// Bad usage, bad config or bad input.
    case usage = 2
    /// An environment fault: output not writable, libcurl cannot start.
    case environment = 3
}

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

    /// Writes `text` as it is to standard output (a newline added only when it lacks one).
    static func write(_ text: String) {
        write(STDOUT_FILENO, text.hasSuffix("\n") || text.isEmpty ? text : text + "\n")
    }

    /// Ends the process with `status`.
    static func exit(_ status: ExitStatus) -> Never {
        Glibc.exit(status.rawValue)
    }

    /// Best effort: a terminal that went away is not worth failing the job for.
    private static func write(_ fd: Int32, _ text: String) {
        try? FileIO.writeAll(fd, Array(text.utf8), path: "terminal")
    }
}

/// An error that ends the command with a chosen exit status and a message for the user.
struct CommandFailure: Error, CustomStringConvertible {
    /// The exit status.
    let status: ExitStatus
    /// What to tell the user.
    let message: String

    var description: String { message }

    /// Prints the message to standard error and exits.
    func exit() -> Never {
        Terminal.error("peering-probe: \(message)")
        Terminal.exit(status)
    }
}
