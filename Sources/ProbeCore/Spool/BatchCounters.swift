#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The next `seq` and round number of an agent, as its state file `AGENT/state` keeps them (`next_seq N` and
/// `next_round N`, one a line), and as they can be rebuilt from its batches when that file is lost.
package struct BatchCounters: Sendable, Hashable {
    /// The first `seq` not yet handed out.
    package var nextSeq: Int64
    /// The first round number not yet handed out.
    package var nextRound: Int64

    /// Counters starting at `nextSeq` and `nextRound` (both from 1 for a new agent).
    package init(nextSeq: Int64 = 1, nextRound: Int64 = 1) {
        self.nextSeq = nextSeq
        self.nextRound = nextRound
    }

    /// The numbers a state file or a batch may carry: from 1 to 2^62, far from overflowing as they count on.
    package static let plausible: ClosedRange<Int64> = 1...(1 << 62)

    /// Reads the state file's text; nil when it lacks a valid line `next_seq N` or `next_round N` (N in
    /// ``plausible``), such as an empty or garbled file. Lines with other keys are passed over.
    package init?(stateText text: String) {
        var seq: Int64?
        var round: Int64?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts[0] == "next_seq" || parts[0] == "next_round" else { continue }
            guard parts.count == 2, let value = Int64(parts[1]), Self.plausible.contains(value) else { return nil }
            if parts[0] == "next_seq" { seq = value } else { round = value }
        }
        guard let seq, let round else { return nil }
        self.init(nextSeq: seq, nextRound: round)
    }

    /// The state file's text: `next_seq N\nnext_round N\n`.
    package var stateText: String { "next_seq \(nextSeq)\nnext_round \(nextRound)\n" }

    /// The counters that follow every batch in `folder`: one past the highest `seq` and round found in its
    /// day folders (finished batches and temporary ones alike); nil when there are none. Numbers are reserved
    /// in order, so the batches whose names carry the highest first `seq` hold the highest numbers: the last
    /// lines of the top few are read for their `seq` and `round`; a compressed batch, or one whose last line
    /// cannot be read, counts by the first `seq` its name carries.
    package static func rebuilt(from folder: OutputFolder) -> BatchCounters? {
        var batches: [(firstSeq: Int64, path: String, compressed: Bool)] = []
        for day in FileIO.list(folder.agentFolder) where !BatchFileName.isHidden(day) {
            let dayFolder = folder.path(day)
            guard let info = try? FileIO.linkStatus(dayFolder), (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            for name in FileIO.list(dayFolder) {
                let batchName =
                    BatchFileName.isBatchFile(name) ? name : BatchFileName.finishedName(ofTemporary: name)
                guard let batchName, let firstSeq = BatchFileName.firstSeq(ofBatch: batchName),
                    plausible.contains(firstSeq)
                else { continue }
                batches.append(
                    (firstSeq, dayFolder + "/" + name, batchName.hasSuffix(BatchFileName.compressedSuffix)))
            }
        }
        guard !batches.isEmpty else { return nil }
        batches.sort { $0.firstSeq > $1.firstSeq }
        var highestSeq = batches[0].firstSeq
        var highestRound: Int64 = 0
        for batch in batches.prefix(8) where !batch.compressed {
            guard let last = lastLine(of: batch.path) else { continue }
            highestSeq = max(highestSeq, last.seq)
            highestRound = max(highestRound, last.round)
        }
        return BatchCounters(nextSeq: highestSeq + 1, nextRound: highestRound + 1)
    }

    /// How much of a batch's end is read to find its last line: a little first, more if that line is longer.
    private static let tailSizes = [1 << 16, 1 << 20]

    /// The `seq` and `round` of the last complete line of the regular file `path`; nil when it cannot be
    /// read or has none.
    private static func lastLine(of path: String) -> (seq: Int64, round: Int64)? {
        guard let fd = try? FileIO.openRegular(path, flags: O_RDONLY, action: "read") else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        for size in tailSizes {
            let start = max(0, Int64(info.st_size) - Int64(size))
            guard lseek(fd, off_t(start), SEEK_SET) == off_t(start),
                let tail = try? FileIO.readAll(fd, path: path, limit: size),
                let end = tail.lastIndex(of: 0x0A)
            else { return nil }
            guard let newline = tail[..<end].lastIndex(of: 0x0A) else {
                if start == 0 { return fields(of: tail[..<end]) }
                continue
            }
            return fields(of: tail[(newline + 1)..<end])
        }
        return nil
    }

    /// The `seq` and `round` numbers of one NDJSON line; nil when it is not an object with both.
    private static func fields(of line: ArraySlice<UInt8>) -> (seq: Int64, round: Int64)? {
        guard case .object(let members)? = try? JSONParser.parse(line),
            case .number(let seqText)? = members["seq"], let seq = Int64(seqText),
            case .number(let roundText)? = members["round"], let round = Int64(roundText),
            plausible.contains(seq), plausible.contains(round)
        else { return nil }
        return (seq, round)
    }
}
