#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The names of batch files, shared by the writer that makes them and the report that finds them: a finished
/// batch is `ID.ndjson`; while it is written it is a hidden temporary `.ID.ndjson.tmp-PID-RANDOM` in the same
/// folder, a name no other writer uses.
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
    /// The suffix of a temporary file, after the finished name and before the writer's pid and random part.
    package static let temporarySuffix = ".tmp"
    /// The patterns a report looks for in a folder, for messages.
    package static let patterns = "*.ndjson, *.ndjson.gz, *.jsonl"

    /// The finished file name of batch `id`: `ID.ndjson`.
    package static func name(id: String) -> String { id + fileExtension }

    /// A fresh temporary name for the file `name` while it is written: `.NAME.tmp-PID-RANDOM`, with this
    /// process's id and 16 random hex digits, so that no two writers (nor a planted file) share it.
    package static func temporaryName(of name: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = String(UInt64.random(in: .min ... .max, using: &generator), radix: 16)
        return "." + name + temporarySuffix + "-\(getpid())-" + String(repeating: "0", count: 16 - random.count)
            + random
    }

    /// Whether `name` is hidden (starts with a dot): passed over when batches are looked for.
    package static func isHidden(_ name: String) -> Bool { name.hasPrefix(".") }

    /// The name a temporary file was meant to get (`.NAME.tmp-PID-RANDOM`, or `.NAME.tmp` of older writers,
    /// gives `NAME`); nil when `name` is not a temporary file.
    package static func finishedName(ofTemporaryFile name: String) -> String? {
        guard isHidden(name) else { return nil }
        if name.hasSuffix(temporarySuffix) { return String(name.dropFirst().dropLast(temporarySuffix.count)) }
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, Int32(parts[parts.count - 2]) != nil, let random = parts.last, !random.isEmpty,
            random.allSatisfy(\.isHexDigit)
        else { return nil }
        let head = parts.dropLast(2).joined(separator: "-")
        guard head.hasSuffix(temporarySuffix), head.count > temporarySuffix.count + 1 else { return nil }
        return String(head.dropFirst().dropLast(temporarySuffix.count))
    }

    /// The finished batch name a temporary batch file was meant to get (`.ID.ndjson.tmp-PID-RANDOM` or
    /// `.ID.ndjson.tmp` gives `ID.ndjson`); nil when `name` is not a temporary batch.
    package static func finishedName(ofTemporary name: String) -> String? {
        guard let finished = finishedName(ofTemporaryFile: name), finished.hasSuffix(fileExtension) else {
            return nil
        }
        return finished
    }

    /// The first `seq` a batch file's name carries (`AGENT-YYYYMMDDTHHMMSSZ-FIRSTSEQ.ndjson`, possibly
    /// `.jsonl` or ending in `.gz`); nil for names without one, such as standard output's run ids.
    package static func firstSeq(ofBatch name: String) -> Int64? {
        var base = name.hasSuffix(compressedSuffix) ? name.dropLast(compressedSuffix.count) : name[...]
        for suffix in [fileExtension, alternativeExtension] where base.hasSuffix(suffix) {
            base = base.dropLast(suffix.count)
        }
        guard let dash = base.lastIndex(of: "-"), let seq = Int64(base[base.index(after: dash)...]), seq >= 1
        else { return nil }
        return seq
    }

    /// Whether `name` is a finished batch as a writer makes them, `*.ndjson` or `*.ndjson.gz`, and not hidden:
    /// what retention may delete (never a temporary batch).
    package static func isFinishedBatch(_ name: String) -> Bool {
        !isHidden(name) && (name.hasSuffix(fileExtension) || name.hasSuffix(fileExtension + compressedSuffix))
    }

    /// Whether a file named `name` in a folder is a batch a report reads: `*.ndjson` or `*.jsonl`, possibly
    /// ending in `.gz`, and not hidden (so never a temporary batch).
    package static func isBatchFile(_ name: String) -> Bool {
        guard !isHidden(name) else { return false }
        let base = name.hasSuffix(compressedSuffix) ? String(name.dropLast(compressedSuffix.count)) : name
        return base.hasSuffix(fileExtension) || base.hasSuffix(alternativeExtension)
    }
}
