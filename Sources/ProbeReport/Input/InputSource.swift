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
    ///
    /// Each file is read once, however many names reach it (a link, a folder given twice): files are told
    /// apart by device and inode. Symbolic links to folders are followed, but a folder already walked is not
    /// walked again, so a link loop ends. What a walk finds that is not a regular file (a FIFO, a device, a
    /// socket) is passed over; a path named on the command line is read whatever it is.
    public static func expand(_ arguments: [String]) throws(ReportError) -> [InputSource] {
        guard !arguments.isEmpty else { throw .noInput("no input: give NDJSON files, folders of batches, or -") }
        var sources: [InputSource] = []
        var walk = Walk()
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
                var found: [String] = []
                walk.metBatchFile = false
                walk.batchFiles(under: argument, info, into: &found)
                guard walk.metBatchFile else {
                    throw .noInput("no batch files (\(BatchFileName.patterns)) under \(argument)")
                }
                sources += found.map { .file($0) }
            } else if walk.files.insert(FileIdentity(info)).inserted {
                sources.append(.file(argument))
            }
        }
        return sources
    }

    /// What one expansion has seen: files (so each is read once) and folders (so each is walked once).
    private struct Walk {
        var files: Set<FileIdentity> = []
        var folders: Set<FileIdentity> = []
        /// Whether the walk met a batch file, new or already listed (or a folder already walked).
        var metBatchFile = false

        mutating func batchFiles(under folder: String, _ folderInfo: stat, into files: inout [String]) {
            guard folders.insert(FileIdentity(folderInfo)).inserted else {
                metBatchFile = true
                return
            }
            for name in FileIO.list(folder) where !BatchFileName.isHidden(name) {
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                let type = info.st_mode & S_IFMT
                if type == S_IFDIR {
                    batchFiles(under: path, info, into: &files)
                } else if type == S_IFREG, BatchFileName.isBatchFile(name) {
                    metBatchFile = true
                    if self.files.insert(FileIdentity(info)).inserted { files.append(path) }
                }
            }
        }
    }
}
