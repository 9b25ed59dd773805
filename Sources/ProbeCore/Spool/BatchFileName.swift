/// The names of batch files, shared by the writer that makes them and the report that finds them: a finished
/// batch is `ID.ndjson`; while it is written it is the hidden temporary `.ID.ndjson.tmp` in the same folder.
///
/// Reports also read batches renamed `*.jsonl` and compressed ones ending in `.gz`; hidden names (the
/// temporary files among them) are never batches.
package enum BatchFileName {
    /// The extension of a finished batch, with its dot.
    package static let fileExtension = ".ndjson"
    /// Another extension reports accept for NDJSON files, with its dot.
    package static let alternativeExtension = ".jsonl"
    /// The suffix of a compressed batch, with its dot.
    package static let compressedSuffix = ".gz"
    /// The suffix of a temporary batch, after the finished name.
    package static let temporarySuffix = ".tmp"
    /// The patterns a report looks for in a folder, for messages.
    package static let patterns = "*.ndjson, *.ndjson.gz, *.jsonl"

    /// The finished file name of batch `id`: `ID.ndjson`.
    package static func name(id: String) -> String { id + fileExtension }

    /// The temporary file name of batch `id` while it is written: `.ID.ndjson.tmp`.
    package static func temporaryName(id: String) -> String { "." + name(id: id) + temporarySuffix }

    /// Whether `name` is hidden (starts with a dot): passed over when batches are looked for.
    package static func isHidden(_ name: String) -> Bool { name.hasPrefix(".") }

    /// The finished name a temporary batch file was meant to get (`.ID.ndjson.tmp` gives `ID.ndjson`); nil
    /// when `name` is not a temporary batch.
    package static func finishedName(ofTemporary name: String) -> String? {
        guard isHidden(name), name.hasSuffix(fileExtension + temporarySuffix) else { return nil }
        return String(name.dropFirst().dropLast(temporarySuffix.count))
    }

    /// Whether a file named `name` in a folder is a batch a report reads: `*.ndjson` or `*.jsonl`, possibly
    /// ending in `.gz`, and not hidden (so never a temporary batch).
    package static func isBatchFile(_ name: String) -> Bool {
        guard !isHidden(name) else { return false }
        let base = name.hasSuffix(compressedSuffix) ? String(name.dropLast(compressedSuffix.count)) : name
        return base.hasSuffix(fileExtension) || base.hasSuffix(alternativeExtension)
    }
}
