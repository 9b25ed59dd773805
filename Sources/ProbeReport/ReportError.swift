/// Why a report could not be made: bad input or bad options, each with a message a user can act on.
///
/// A public struct around a private code, so new cases can come without breaking callers.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case noInput(String)
        case unreadable(path: String, reason: String)
        case noSamples(read: Int, afterFilters: Bool, skipped: Int, firstBadLine: String?)
        case strict(skipped: Int, torn: Int)
        case badOption(String)
        case environment(String)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// No input file was given, or the folders given hold no batch files.
    public static func noInput(_ detail: String) -> ReportError { ReportError(.noInput(detail)) }

    /// A file or folder cannot be opened or read.
    public static func unreadable(path: String, reason: String) -> ReportError {
        ReportError(.unreadable(path: path, reason: reason))
    }

    /// Nothing to report on: no samples read, or none left after the filters.
    public static func noSamples(
        read: Int, afterFilters: Bool, skipped: Int = 0, firstBadLine: String? = nil
    ) -> ReportError {
        ReportError(.noSamples(read: read, afterFilters: afterFilters, skipped: skipped, firstBadLine: firstBadLine))
    }

    /// `--strict` and some lines were skipped.
    public static func strict(skipped: Int, torn: Int) -> ReportError {
        ReportError(.strict(skipped: skipped, torn: torn))
    }

    /// An option value that cannot be used (a bad `--since`, an unknown `--by` word).
    public static func badOption(_ message: String) -> ReportError { ReportError(.badOption(message)) }

    /// The machine, not the input, failed (a spill file cannot be written).
    public static func environment(_ message: String) -> ReportError { ReportError(.environment(message)) }

    /// Whether the fault is the machine's (exit status 3) rather than the input's or the user's (2).
    public var isEnvironmentFault: Bool {
        if case .environment = code { return true }
        return false
    }

    /// The message for people.
    public var description: String {
        switch code {
        case .noInput(let detail): detail
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .noSamples(let read, let afterFilters, let skipped, let firstBadLine):
            if afterFilters {
                "no samples left after the filters (\(read) samples read); widen --since/--until or the filters"
            } else if skipped > 0 {
                "no usable samples: \(skipped) line\(skipped == 1 ? "" : "s") skipped"
                    + (firstBadLine.map { ", the first at \($0)" } ?? "")
            } else {
                "no samples in the input"
            }
        case .strict(let skipped, let torn):
            "--strict: \(skipped) line\(skipped == 1 ? "" : "s") skipped and \(torn) torn; see the report's input section"
        case .badOption(let message): message
        case .environment(let message): message
        }
    }
}
