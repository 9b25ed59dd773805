internal import Glibc
internal import ProbeCore

/// One stream of NDJSON a report reads: a file (plain or gzip, told apart by its first bytes) or standard
/// input.
public enum InputSource: Sendable, Hashable {
    /// A file.
    case file(String)
    /// Standard input (`-`).
    case standardInput

    /// The name reports quote: the path, or `-`.
    public var name: String {
        switch self {
        case .file(let path): path
        case .standardInput: "-"
        }
    }

    /// Expands command-line arguments: `-` is standard input, a folder is searched recursively for batch files
    /// (`*.ndjson`, `*.jsonl`, and those ending in `.gz`; hidden and temporary files are passed over), any
    /// other path is read as given. Folders are listed in name order, so reports are reproducible.
    public static func expand(_ arguments: [String]) throws(ReportError) -> [InputSource] {
        guard !arguments.isEmpty else { throw .noInput("no input: give NDJSON files, folders of batches, or -") }
        var sources: [InputSource] = []
        for argument in arguments {
            if argument == "-" {
                sources.append(.standardInput)
                continue
            }
            var info = stat()
            guard stat(argument, &info) == 0 else {
                throw .unreadable(path: argument, reason: String(cString: strerror(errno)))
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                let found = batchFiles(under: argument)
                guard !found.isEmpty else {
                    throw .noInput("no batch files (\(BatchFileName.patterns)) under \(argument)")
                }
                sources += found.map { .file($0) }
            } else {
                sources.append(.file(argument))
            }
        }
        return sources
    }

    private static func batchFiles(under folder: String) -> [String] {
        var files: [String] = []
        for name in FileIO.list(folder) where !BatchFileName.isHidden(name) {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                files += batchFiles(under: path)
            } else if BatchFileName.isBatchFile(name) {
                files.append(path)
            }
        }
        return files
    }
}
