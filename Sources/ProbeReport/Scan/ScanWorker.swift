internal import Glibc
internal import ProbeCore

/// What one scanning thread builds from the blocks it is given: series and PoP tables keyed on raw bytes,
/// rows in a ``RowStore``, counts, and the first few bad lines. Workers never share state; the builder
/// merges them when every block is read. A value type: each thread owns one and hands it over at the end.
package struct ScanWorker: Sendable {
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
    package private(set) var rows: RowStore
    /// Series keys by local id; nil for a series whose strings are not valid UTF-8 (its lines are skipped).
    package private(set) var seriesKeys: [SeriesKey?] = []
    /// Whether each local series' strings are valid UTF-8 (kept apart from the keys, so the per-line check
    /// does not copy a key).
    private var seriesValid: [Bool] = []
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

    /// Makes a worker that keeps samples passing `filter`, spilling rows past `budgetBytes` to `spillFolder`.
    package init(filter: ReportFilter, budgetBytes: Int, spillFolder: String) {
        self.filter = filter
        self.rows = RowStore(budgetBytes: budgetBytes, spillFolder: spillFolder)
    }

    /// Scans every line of a block.
    package mutating func consume(_ buffer: UnsafeBufferPointer<UInt8>, block: BlockFeeder.Block) throws(ReportError) {
        guard let base = buffer.baseAddress else { return }
        if block.overlong {
            lines += 1
            reject(
                UnsafeBufferPointer(start: base, count: block.count), Self.overlongReason, block: block, lineIndex: 0,
                torn: false)
            blockLines.append((block.source, block.index, 1))
            return
        }
        var line = ScannedLine()
        var start = 0
        var lineIndex = 0
        let count = block.count
        let tornBefore = torn
        let maxLine = BlockFeeder.maxLineBytes
        while start < count {
            var stop = start
            if let found = memchrIndex(base, from: start, to: count) { stop = found } else { stop = count }
            if _slowPath(stop - start > maxLine) {
                rejectOverlong(base + start, block: block, lineIndex: lineIndex)
            } else {
                var lineEnd = stop
                if lineEnd > start, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let isLast = stop >= count
                try consumeLine(
                    UnsafeBufferPointer(start: base + start, count: lineEnd - start), &line, block: block,
                    lineIndex: lineIndex, mayBeTorn: isLast && block.endsWithoutNewline)
            }
            lineIndex += 1
            start = stop + 1
        }
        // Only a block's last line can be torn. When it was not, the cut is still reported, once.
        if block.truncatedStream && torn == tornBefore {
            torn += 1
            if badLines.count < Self.keptBadLines {
                badLines.append(
                    PendingBadLine(
                        source: block.source, block: block.index, lineInBlock: lineIndex,
                        reason: Self.truncatedStreamReason, excerpt: "", torn: true))
            }
        }
        blockLines.append((block.source, block.index, lineIndex))
    }

    /// Counts and quotes a line longer than ``BlockFeeder/maxLineBytes`` that lies whole in a block.
    @inline(never)
    private mutating func rejectOverlong(_ start: UnsafePointer<UInt8>, block: BlockFeeder.Block, lineIndex: Int) {
        lines += 1
        reject(
            UnsafeBufferPointer(start: start, count: BlockFeeder.overlongPrefixBytes), Self.overlongReason,
            block: block, lineIndex: lineIndex, torn: false)
    }

    /// Why an overlong line (see ``BlockFeeder/maxLineBytes``) is skipped.
    package static let overlongReason = "line longer than 1 MiB"

    /// Why a gzip source's end is reported: the file stops inside its compressed stream.
    package static let truncatedStreamReason =
        "the gzip stream is truncated (the file ends before its compressed data does)"

    @inline(__always)
    private func memchrIndex(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard let found = memchr(base + from, 0x0A, to - from) else { return nil }
        return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
    }

    private mutating func consumeLine(
        _ text: UnsafeBufferPointer<UInt8>, _ line: inout ScannedLine, block: BlockFeeder.Block, lineIndex: Int,
        mayBeTorn: Bool
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
        guard let series = seriesID(text, line) else {
            reject(text, "a path field is not valid UTF-8", block: block, lineIndex: lineIndex, torn: false)
            return
        }
        guard line.status <= Int64(Int16.max) else {
            reject(text, "field \"status\": out of range", block: block, lineIndex: lineIndex, torn: false)
            return
        }
        guard let pop = popID(text, line.pop) else {
            reject(text, "field \"pop\" is not valid UTF-8", block: block, lineIndex: lineIndex, torn: false)
            return
        }
        parsed += 1
        guard seriesKept[series], filter.keeps(timestamp: line.timestamp) else { return }
        kept += 1
        firstTimestamp = min(firstTimestamp ?? line.timestamp, line.timestamp)
        lastTimestamp = max(lastTimestamp ?? line.timestamp, line.timestamp)
        try rows.append(
            StoredRow(
                timestamp: line.timestamp, round: line.round, n: line.n, metrics: line.metrics, pop: pop,
                status: Int16(truncatingIfNeeded: max(line.status, -1)), ok: line.ok, errorKind: line.errorKind),
            to: series)
    }

    private mutating func reject(
        _ text: UnsafeBufferPointer<UInt8>, _ reason: String, block: BlockFeeder.Block, lineIndex: Int,
        torn isTorn: Bool
    ) {
        if isTorn { torn += 1 } else { skipped += 1 }
        guard badLines.count < Self.keptBadLines else { return }
        let excerpt = String(decoding: text.prefix(120), as: UTF8.self)
        let why =
            !isTorn
            ? reason
            : block.truncatedStream
                ? Self.truncatedStreamReason + ", its last line is torn: " + reason
                : "torn last line (a writer stopped mid-line): " + reason
        badLines.append(
            PendingBadLine(
                source: block.source, block: block.index, lineInBlock: lineIndex, reason: why, excerpt: excerpt,
                torn: isTorn))
    }

    // MARK: - Series and PoPs

    /// The local id of the line's series: its seven path strings, path type and ASN are hashed and compared
    /// where they lie in the line; only a new series is copied (as tagged, length-prefixed parts).
    private mutating func seriesID(_ text: UnsafeBufferPointer<UInt8>, _ line: ScannedLine) -> Int? {
        let spans = (line.agent, line.site, line.region, line.target, line.path, line.isp, line.prefix)
        let raw = UnsafeRawBufferPointer(text)
        // Hash the parts that tell series apart in practice (target, path, path type); the others are compared.
        var hash = UInt64(line.pathType) &+ 0x517C_C1B7_2722_0A95
        hash = Self.combine(hash, spans.3, raw)
        hash = Self.combine(hash, spans.4, raw)
        let asn = line.asn
        let pathType = line.pathType
        let (id, inserted) = seriesTable.id(
            hash: hash,
            equals: { stored in
                var offset = 0
                guard Self.matches(spans.0, raw, stored, &offset), Self.matches(spans.1, raw, stored, &offset),
                    Self.matches(spans.2, raw, stored, &offset), Self.matches(spans.3, raw, stored, &offset),
                    Self.matches(spans.4, raw, stored, &offset), Self.matches(spans.5, raw, stored, &offset),
                    Self.matches(spans.6, raw, stored, &offset), stored[offset] == pathType
                else { return false }
                let storedASN = stored.loadUnaligned(fromByteOffset: offset + 1, as: Int64.self)
                return stored[offset + 9] == (asn == nil ? 0 : 1) && storedASN == (asn ?? Int64.min)
            },
            makeKey: {
                var key: [UInt8] = []
                for span in [spans.0, spans.1, spans.2, spans.3, spans.4, spans.5, spans.6] {
                    if span.isNull {
                        key.append(0)
                        continue
                    }
                    key.append(span.escaped ? 2 : 1)
                    withUnsafeBytes(of: span.length) { key.append(contentsOf: $0) }
                    key.append(
                        contentsOf: UnsafeRawBufferPointer(
                            rebasing: raw[Int(span.start)..<Int(span.start + span.length)]))
                }
                key.append(pathType)
                withUnsafeBytes(of: asn ?? Int64.min) { key.append(contentsOf: $0) }
                key.append(asn == nil ? 0 : 1)
                return key
            })
        if inserted {
            let key = makeKey(text, line)
            seriesKeys.append(key)
            seriesKept.append(key.map(filter.keeps) ?? false)
            seriesValid.append(key != nil)
        }
        return seriesValid[id] ? id : nil
    }

    @inline(__always)
    private static func combine(_ hash: UInt64, _ span: ByteSpan, _ raw: UnsafeRawBufferPointer) -> UInt64 {
        span.isNull
            ? (hash ^ 0xA5) &* 0xBF58_476D_1CE4_E5B9
            : ByteKeyTable.combine(
                hash, UnsafeRawBufferPointer(rebasing: raw[Int(span.start)..<Int(span.start + span.length)]))
    }

    /// Whether the stored part at `offset` (tag, length, bytes) is the span's text; moves `offset` past it.
    @inline(__always)
    private static func matches(
        _ span: ByteSpan, _ raw: UnsafeRawBufferPointer, _ stored: UnsafeRawBufferPointer, _ offset: inout Int
    ) -> Bool {
        let tag = stored[offset]
        offset += 1
        if span.isNull { return tag == 0 }
        let length = Int(stored.loadUnaligned(fromByteOffset: offset, as: Int32.self))
        offset += 4
        guard tag == (span.escaped ? 2 : 1), length == Int(span.length),
            ByteKeyTable.equal(
                UnsafeRawBufferPointer(rebasing: stored[offset..<offset + length]),
                UnsafeRawBufferPointer(rebasing: raw[Int(span.start)..<Int(span.start) + length]))
        else { return false }
        offset += length
        return true
    }

    private func makeKey(_ text: UnsafeBufferPointer<UInt8>, _ line: ScannedLine) -> SeriesKey? {
        var valid = true
        func string(_ span: ByteSpan) -> String? {
            guard !span.isNull else { return nil }
            guard
                let value = JSONGrammar.text(
                    ofContents: UnsafeBufferPointer(rebasing: text[Int(span.start)..<Int(span.start + span.length)]))
            else {
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

    private mutating func popID(_ text: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> UInt32? {
        guard !span.isNull else { return 0 }
        let bytes = UnsafeBufferPointer(rebasing: text[Int(span.start)..<Int(span.start + span.length)])
        // Most lines name the PoP the line before named: compare with it first.
        if lastPop.count == bytes.count, !span.escaped,
            lastPop.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
        {
            return lastPopID
        }
        let found = lookUpPop(bytes)
        if !span.escaped, let found {
            lastPop = Array(bytes)
            lastPopID = found
        }
        return found
    }

    private var lastPop: [UInt8] = [0xFF]
    private var lastPopID: UInt32 = 0

    private mutating func lookUpPop(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let (id, inserted) = popTable.id(of: UnsafeRawBufferPointer(bytes))
        if inserted {
            let name = JSONGrammar.text(ofContents: bytes)
            popNames.append(name)
            popIDs.append(name == nil ? UInt32.max : UInt32(popNames.count - 1))
        }
        let local = popIDs[id]
        return local == UInt32.max ? nil : local
    }
}
