internal import Glibc

extension ReportDestination {
    /// Throws a usage error (exit 2) naming both when the destination is one of `sources`: the regular file at
    /// its path (following symbolic links), if there is one, has the device and inode of an input file, or of
    /// standard input when `-` is read. Call it before the report is written, so no input is replaced by its
    /// own report. A terminal or a FIFO that is both is let be: writing it replaces nothing.
    public func refuseOverwriting(_ sources: [InputSource]) throws(ReportError) {
        guard case .file(let path) = self else { return }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        let output = FileIdentity(info)
        for source in sources {
            let input: FileIdentity? =
                switch source {
                case .file(let name): FileIdentity(path: name)
                case .standardInput: FileIdentity(descriptor: STDIN_FILENO)
                }
            if input == output {
                throw .badOption(
                    "refusing to write the report to \(path): it is the input \(source.name) (the same file); "
                        + "choose another --output")
            }
        }
    }
}
