internal import Glibc
internal import ProbeCore

/// What one scanning thread builds from the blocks it is given: series and PoP tables keyed on raw bytes,
/// rows in a ``RowStore``, counts, and the first few bad lines. Workers never share state; the builder
/// merges them when every block is read.
package final class ScanWorker: @unchecked Sendable {
    /// A bad line before its line number is known (that needs every earlier block's line count).
    package struct PendingBadLine: Sendable {
        /// Source index.
        package var source: Int
        /// Block index within the source.
        package var block: Int
        /// 0-based line within the block.
        package var lineInBlock: Int
        /// Why.
        package var reason: String
        /// The start of the line.
        package var excerpt: String
        /// A torn last line.
        package var torn: Bool
    }

    /// How many bad lines each worker keeps for quoting.
    package static let keptBadLines = 5

    /// Rows per series.
    package let rows: RowStore
    /// Series keys by local id; nil for a series whose strings are not valid UTF-8 (its lines are skipped).
    package private(set) var seriesKeys: [SeriesKey?] = []
    /// Whether each local series passes the field filters.
    package private(set) var seriesKept: [Bool] = []
    /// PoP names by local id (id 0 is "no PoP").
    package private(set) var popNames: [String?] = [nil]
    /// Non-blank lines.
    package private(set) var lines = 0
    /// Lines parsed into samples.
    package private(set) var parsed = 0
    /// Samples kept after the filters.
    package private(set) var kept = 0
    /// Lines skipped as bad.
    package private(set) var skipped = 0
    /// Torn last lines.
    package private(set) var torn = 0
    /// The first bad lines this worker met, in its own order.
    package private(set) var badLines: [PendingBadLine] = []
    /// Earliest kept `ts`.
    package private(set) var firstTimestamp: Int64?
    /// Latest kept `ts`.
    package private(set) var lastTimestamp: Int64?
    /// Line counts of the blocks this worker scanned: (source, block) -> lines.
    package private(set) var blockLines: [(source: Int, block: Int, lines: Int)] = []

    private let filter: ReportFilter
    private var seriesTable = ByteKeyTable()
    private var popTable = ByteKeyTable()
    private var popIDs: [UInt32] = []
    private var keyBuffer: [UInt8] = []
    private var line = ScannedLine()

    /// Makes a worker that keeps samples passing `filter`, spilling rows past `budgetBytes` to `spillFolder`.
    package init(filter: ReportFilter, budgetBytes: Int, spillFolder: String) {
        self.filter = filter
        self.rows = RowStore(budgetBytes: budgetBytes, spillFolder: spillFolder)
        keyBuffer.reserveCapacity(512)
    }

    /// Scans every line of a block.
    package func consume(_ buffer: UnsafeBufferPointer<UInt8>, block: BlockFeeder.Block) throws(ReportError) {
        guard let base = buffer.baseAddress else { return }
        var start = 0
        var lineIndex = 0
        let count = block.count
        while start < count {
            var stop = start
            if let found = memchrIndex(base, from: start, to: count) { stop = found } else { stop = count }
            var lineEnd = stop
            if lineEnd > start, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let isLast = stop >= count
            try consumeLine(UnsafeBufferPointer(start: base + start, count: lineEnd - start), block: block,
                            lineIndex: lineIndex, mayBeTorn: isLast && block.endsWithoutNewline)
            lineIndex += 1
            start = stop + 1
        }
        blockLines.append((block.source, block.index, lineIndex))
    }

    @inline(__always)
    private func memchrIndex(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard let found = memchr(base + from, 0x0A, to - from) else { return nil }
        return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
    }

    private func consumeLine(
        _ text: UnsafeBufferPointer<UInt8>, block: BlockFeeder.Block, lineIndex: Int, mayBeTorn: Bool
    ) throws(ReportError) {
        var blank = true
        for byte in text where !(byte == 0x20 || byte == 0x09) {
            blank = false
            break
        }
        if blank { return }
        lines += 1
        if let failure = LineScanner.scan(text, into: &line) {
            reject(text, failure.message, block: block, lineIndex: lineIndex, torn: mayBeTorn)
            return
        }
        guard let series = seriesID(text) else {
            reject(text, "a path field is not valid UTF-8", block: block, lineIndex: lineIndex, torn: false)
            return
        }
        parsed += 1
        guard seriesKept[series], filter.keeps(timestamp: line.timestamp) else { return }
        guard let pop = popID(text) else {
            parsed -= 1
            reject(text, "field \"pop\" is not valid UTF-8", block: block, lineIndex: lineIndex, torn: false)
            return
        }
        guard line.status <= Int64(Int16.max) else {
            parsed -= 1
            reject(text, "field \"status\": out of range", block: block, lineIndex: lineIndex, torn: false)
            return
        }
        kept += 1
        firstTimestamp = min(firstTimestamp ?? line.timestamp, line.timestamp)
        lastTimestamp = max(lastTimestamp ?? line.timestamp, line.timestamp)
        try rows.append(
            StoredRow(timestamp: line.timestamp, round: line.round, n: line.n, metrics: line.metrics, pop: pop,
                      status: Int16(truncatingIfNeeded: max(line.status, -1)), ok: line.ok, errorKind: line.errorKind),
            to: series)
    }

    private func reject(
        _ text: UnsafeBufferPointer<UInt8>, _ reason: String, block: BlockFeeder.Block, lineIndex: Int, torn isTorn: Bool
    ) {
        if isTorn { torn += 1 } else { skipped += 1 }
        guard badLines.count < Self.keptBadLines else { return }
        let excerpt = String(decoding: text.prefix(120), as: UTF8.self)
        badLines.append(PendingBadLine(source: block.source, block: block.index, lineInBlock: lineIndex,
                                       reason: isTorn ? "torn last line (a writer stopped mid-line): " + reason : reason,
                                       excerpt: excerpt, torn: isTorn))
    }

    // MARK: - Series and PoPs

    private func seriesID(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        keyBuffer.removeAll(keepingCapacity: true)
        appendSpan(line.agent, of: text)
        appendSpan(line.site, of: text)
        appendSpan(line.region, of: text)
        appendSpan(line.target, of: text)
        appendSpan(line.path, of: text)
        appendSpan(line.isp, of: text)
        appendSpan(line.prefix, of: text)
        keyBuffer.append(line.pathType)
        withUnsafeBytes(of: line.asn ?? Int64.min) { keyBuffer.append(contentsOf: $0) }
        keyBuffer.append(line.asn == nil ? 0 : 1)
        let (id, inserted) = keyBuffer.withUnsafeBytes { seriesTable.id(of: $0) }
        if inserted {
            let key = makeKey(text)
            seriesKeys.append(key)
            seriesKept.append(key.map(filter.keeps) ?? false)
        }
        return seriesKeys[id] == nil ? nil : id
    }

    @inline(__always)
    private func appendSpan(_ span: ByteSpan, of text: UnsafeBufferPointer<UInt8>) {
        if span.isNull {
            keyBuffer.append(0)
            return
        }
        keyBuffer.append(span.escaped ? 2 : 1)
        withUnsafeBytes(of: span.length) { keyBuffer.append(contentsOf: $0) }
        keyBuffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[Int(span.start)..<Int(span.start + span.length)]))
    }

    private func makeKey(_ text: UnsafeBufferPointer<UInt8>) -> SeriesKey? {
        var valid = true
        func string(_ span: ByteSpan) -> String? {
            guard !span.isNull else { return nil }
            guard let value = JSONText.decode(UnsafeBufferPointer(rebasing: text[Int(span.start)..<Int(span.start + span.length)]),
                                              escaped: span.escaped) else {
                valid = false
                return nil
            }
            return value
        }
        let key = SeriesKey(
            agent: string(line.agent) ?? "", site: string(line.site), region: string(line.region),
            target: string(line.target) ?? "", path: string(line.path) ?? "",
            pathType: PathType.allCases[Int(line.pathType)].rawValue, isp: string(line.isp), asn: line.asn,
            prefix: string(line.prefix))
        return valid ? key : nil
    }

    private func popID(_ text: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let span = line.pop
        guard !span.isNull else { return 0 }
        let bytes = UnsafeBufferPointer(rebasing: text[Int(span.start)..<Int(span.start + span.length)])
        let (id, inserted) = popTable.id(of: UnsafeRawBufferPointer(bytes))
        if inserted {
            let name = JSONText.decode(bytes, escaped: span.escaped)
            popNames.append(name)
            popIDs.append(name == nil ? UInt32.max : UInt32(popNames.count - 1))
        }
        let local = popIDs[id]
        return local == UInt32.max ? nil : local
    }
}
