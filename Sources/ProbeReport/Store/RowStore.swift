internal import Glibc

/// The rows of one scanning thread, per series, in chunks of up to 1,024 rows (64 KiB); when the chunks held in memory
/// pass a budget, full chunks go to an unlinked temporary file and are read back a chunk at a time. So a
/// report's memory stays bounded whatever the input size, and small inputs never touch the disk.
///
/// A value type: each scanning thread owns its own store, then hands it over for reading.
package struct RowStore: Sendable {
    /// Rows per chunk.
    package static let chunkRows = 1_024

    private enum Chunk {
        case memory([StoredRow])
        case disk(offset: Int64, count: Int)
    }

    private var chunks: [[Chunk]] = []
    private var open: [[StoredRow]] = []
    /// Whether each series' rows arrived in time order, and the last time seen.
    private var ordered: [Bool] = []
    private var lastTimestamp: [Int64] = []
    private var earliest: [Int64] = []
    private var latest: [Int64] = []
    private var residentBytes = 0
    private let budgetBytes: Int
    private var spillFile: SpillFile?
    private var spillEnd: Int64 = 0
    private let spillFolder: String

    /// Makes a store that keeps at most `budgetBytes` of full chunks in memory before spilling to a file in
    /// `spillFolder`.
    package init(budgetBytes: Int, spillFolder: String) {
        self.budgetBytes = budgetBytes
        self.spillFolder = spillFolder
    }

    /// Bytes written to the spill file.
    package var spilledBytes: Int64 { spillEnd }

    /// Number of rows of `series`.
    package func rowCount(_ series: Int) -> Int {
        guard series < open.count else { return 0 }
        var total = open[series].count
        for chunk in chunks[series] {
            switch chunk {
            case .memory(let rows): total += rows.count
            case .disk(_, let count): total += count
            }
        }
        return total
    }

    /// Appends a row to `series` (ids are dense from 0).
    package mutating func append(_ row: StoredRow, to series: Int) throws(ReportError) {
        while series >= open.count {
            open.append([])
            chunks.append([])
            ordered.append(true)
            lastTimestamp.append(Int64.min)
            earliest.append(Int64.max)
            latest.append(Int64.min)
        }
        earliest[series] = min(earliest[series], row.timestamp)
        latest[series] = max(latest[series], row.timestamp)
        if row.timestamp < lastTimestamp[series] { ordered[series] = false }
        lastTimestamp[series] = row.timestamp
        if open[series].capacity == 0 { open[series].reserveCapacity(64) }
        open[series].append(row)
        if open[series].count == Self.chunkRows {
            // Every stored chunk is in time order (equal times in input order), so that a series whose rows came
            // out of order can be merged back a window of each chunk at a time.
            let full = Self.inTimeOrder(open[series])
            open[series] = []
            open[series].reserveCapacity(Self.chunkRows)
            if residentBytes + full.count * MemoryLayout<StoredRow>.stride > budgetBytes {
                chunks[series].append(try write(full))
            } else {
                residentBytes += full.count * MemoryLayout<StoredRow>.stride
                chunks[series].append(.memory(full))
            }
        }
    }

    /// The earliest and latest start time among the rows of `series` (µs), nil when it has none.
    package func timeSpan(_ series: Int) -> (first: Int64, last: Int64)? {
        guard series < earliest.count, earliest[series] <= latest[series] else { return nil }
        return (earliest[series], latest[series])
    }

    /// Whether the rows of `series` were appended in time order.
    package func isOrdered(_ series: Int) -> Bool { series < ordered.count ? ordered[series] : true }

    /// Number of chunks of `series`, the open one included.
    package func chunkCount(_ series: Int) -> Int { series < open.count ? chunks[series].count + 1 : 0 }

    /// `rows` in time order, equal times in their order in `rows`.
    private static func inTimeOrder(_ rows: [StoredRow]) -> [StoredRow] {
        guard zip(rows, rows.dropFirst()).contains(where: { $0.timestamp > $1.timestamp }) else { return rows }
        return rows.indices.sorted { (rows[$0].timestamp, $0) < (rows[$1].timestamp, $1) }.map { rows[$0] }
    }

    /// Rows in chunk `chunk` of `series` (the open one included).
    package func rowCount(chunk: Int, of series: Int) -> Int {
        if chunk == chunks[series].count { return open[series].count }
        switch chunks[series][chunk] {
        case .memory(let rows): return rows.count
        case .disk(_, let count): return count
        }
    }

    /// Copies rows `range` of chunk `chunk` of `series`, in time order, into `buffer` (replacing its contents): a
    /// window of a chunk, for merging many chunks without loading them whole.
    package func load(
        rows range: Range<Int>, chunk: Int, of series: Int, into buffer: inout [StoredRow]
    ) throws(ReportError) {
        if chunk == chunks[series].count {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: Self.inTimeOrder(open[series])[range])
            return
        }
        switch chunks[series][chunk] {
        case .memory(let rows):
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: rows[range])
        case .disk(let offset, _):
            try read(
                offset: offset + Int64(range.lowerBound * MemoryLayout<StoredRow>.stride), count: range.count,
                into: &buffer)
        }
    }

    /// Copies chunk `chunk` of `series` into `buffer` (replacing its contents).
    package func load(chunk: Int, of series: Int, into buffer: inout [StoredRow]) throws(ReportError) {
        if chunk == chunks[series].count {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: open[series])
            return
        }
        switch chunks[series][chunk] {
        case .memory(let rows):
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: rows)
        case .disk(let offset, let count):
            try read(offset: offset, count: count, into: &buffer)
        }
    }

    private mutating func write(_ rows: [StoredRow]) throws(ReportError) -> Chunk {
        if spillFile == nil {
            var template = Array((spillFolder + "/peering-probe-report-XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                throw .environment(
                    "cannot create a spill file in \(spillFolder) (set TMPDIR): " + String(cString: strerror(errno)))
            }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            spillFile = SpillFile(fd: fd)
        }
        let spill = spillFile!.fd
        let offset = spillEnd
        let length = rows.count * MemoryLayout<StoredRow>.stride
        let written = rows.withUnsafeBytes { bytes in
            Self.repeatIO(length: length) { done in
                pwrite(spill, bytes.baseAddress! + done, length - done, off_t(offset) + off_t(done))
            }
        }
        guard written == length else {
            throw .environment("cannot write the spill file in \(spillFolder): " + String(cString: strerror(errno)))
        }
        spillEnd += Int64(length)
        return .disk(offset: offset, count: rows.count)
    }

    /// Repeats a positional read or write (`step(done)` moves bytes from offset `done` on) until `length`
    /// bytes have moved, through EINTR; fewer at the end of the file or on an error (errno says which).
    private static func repeatIO(length: Int, _ step: (_ done: Int) -> Int) -> Int {
        var done = 0
        while done < length {
            let result = step(done)
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { break }
            done += result
        }
        return done
    }

    private func read(offset: Int64, count: Int, into buffer: inout [StoredRow]) throws(ReportError) {
        guard let spill = spillFile?.fd else { throw .environment("the spill file is gone") }
        let zero = StoredRow(
            timestamp: 0, round: 0, n: 0, metrics: .init(repeating: 0), pop: 0, status: 0, ok: false,
            errorKind: 0)
        if buffer.count != count { buffer = Array(repeating: zero, count: count) }
        let length = count * MemoryLayout<StoredRow>.stride
        let done = buffer.withUnsafeMutableBytes { bytes in
            Self.repeatIO(length: length) { done in
                pread(spill, bytes.baseAddress! + done, length - done, off_t(offset) + off_t(done))
            }
        }
        guard done == length else {
            throw .environment("cannot read the spill file back: " + String(cString: strerror(errno)))
        }
    }
}

/// The open, already unlinked spill file of one ``RowStore``; closed when the last copy of the store goes.
private final class SpillFile: Sendable {
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }
}
