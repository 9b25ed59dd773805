/// Every kept sample after scanning, merged across the scanning threads: one entry per series (the same
/// series seen by two threads, or spelled with different escapes, is one), rows read back per series in
/// time order, PoP names in one table.
package struct SampleTable: Sendable {
    /// One merged series.
    package struct Series: Sendable {
        /// Its path-level fields.
        package var key: SeriesKey
        /// (worker, local series id) pairs holding its rows.
        package var parts: [(worker: Int, local: Int)]
        /// Rows in all.
        package var rowCount: Int
        /// The earliest and latest start time of its rows (µs).
        package var first: Int64
        package var last: Int64
    }

    /// The series, in key order (site, target, path, agent, ...), so every report lists things the same way.
    package let series: [Series]
    /// PoP names by global id; id 0 is "no PoP" (nil).
    package let popNames: [String?]
    /// For each series, its agent's number among all agents (in name order): the same agent has the same
    /// number in every series, so samples of two paths pair on (agent, round, n).
    package let agentNumbers: [Int]
    private let workers: [ScanWorker]
    private let popRemap: [[UInt32]]

    /// Merges the workers' series and PoP tables.
    package init(workers: [ScanWorker]) {
        self.workers = workers
        var index: [SeriesKey: Int] = [:]
        var merged: [Series] = []
        for (workerIndex, worker) in workers.enumerated() {
            for (local, key) in worker.seriesKeys.enumerated() {
                guard let key, worker.seriesKept[local] else { continue }
                let rows = worker.rows.rowCount(local)
                guard rows > 0, let span = worker.rows.timeSpan(local) else { continue }
                if let existing = index[key] {
                    merged[existing].parts.append((workerIndex, local))
                    merged[existing].rowCount += rows
                    merged[existing].first = min(merged[existing].first, span.first)
                    merged[existing].last = max(merged[existing].last, span.last)
                } else {
                    index[key] = merged.count
                    merged.append(
                        Series(
                            key: key, parts: [(workerIndex, local)], rowCount: rows, first: span.first,
                            last: span.last))
                }
            }
        }
        series = merged.sorted { SeriesKey.precedes($0.key, $1.key) }
        let agents = Array(Set(series.map(\.key.agent))).sorted()
        let agentNumber = Dictionary(uniqueKeysWithValues: agents.enumerated().map { ($1, $0) })
        agentNumbers = series.map { agentNumber[$0.key.agent]! }
        var names: [String?] = [nil]
        var popIndex: [String: UInt32] = [:]
        var remap: [[UInt32]] = []
        for worker in workers {
            var map: [UInt32] = [0]
            for name in worker.popNames.dropFirst() {
                guard let name else {
                    map.append(0)
                    continue
                }
                if let id = popIndex[name] {
                    map.append(id)
                } else {
                    let id = UInt32(names.count)
                    names.append(name)
                    popIndex[name] = id
                    map.append(id)
                }
            }
            remap.append(map)
        }
        popNames = names
        popRemap = remap
    }

    /// Calls `body` with every row of series `index` in time order (equal times in input order), PoP ids made
    /// global (see ``SeriesCursor``).
    package func forEachRow(of index: Int, _ body: (StoredRow) -> Void) throws(ReportError) {
        var cursor = try cursor(of: index)
        while let row = try cursor.next() { body(row) }
    }

    /// A cursor over the rows of series `index` in time order.
    package func cursor(of index: Int) throws(ReportError) -> SeriesCursor {
        let parts = series[index].parts
        var cursors: [PartCursor] = []
        for part in parts {
            var cursor = PartCursor(store: workers[part.worker].rows, series: part.local, map: popRemap[part.worker])
            if try cursor.advance() { cursors.append(cursor) }
        }
        guard parts.allSatisfy({ workers[$0.worker].rows.isOrdered($0.local) }) else {
            // Rows out of time order: every stored chunk is in time order, so merge all the chunks of all the
            // parts, holding a small window of each (equal times in input order: part, chunk, position).
            var windows: [ChunkWindow] = []
            for part in parts {
                let store = workers[part.worker].rows
                for chunk in 0..<store.chunkCount(part.local) where store.rowCount(chunk: chunk, of: part.local) > 0 {
                    var window = ChunkWindow(
                        store: store, series: part.local, chunk: chunk, map: popRemap[part.worker],
                        order: windows.count)
                    if try window.advance() { windows.append(window) }
                }
            }
            return SeriesCursor(merging: windows)
        }
        return SeriesCursor(parts: cursors)
    }

    /// The rows of one series in time order (equal times in input order), PoP ids made global. When every part
    /// arrived in time order (the usual case: each scanning thread sees a series' lines in file order) the parts
    /// are merged a chunk at a time; otherwise every stored chunk (each in time order) is merged through a window
    /// of 64 rows. Either way no array of the whole series is built.
    package struct SeriesCursor {
        private var parts: [PartCursor]
        /// For rows out of order: a window of every chunk, as a binary heap on (time, input order).
        private var heap: [ChunkWindow]
        private let merging: Bool

        fileprivate init(parts: [PartCursor]) {
            self.parts = parts
            heap = []
            merging = false
        }

        fileprivate init(merging windows: [ChunkWindow]) {
            parts = []
            heap = windows
            merging = true
            for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
        }

        /// The next row, nil after the last.
        package mutating func next() throws(ReportError) -> StoredRow? {
            if merging {
                guard !heap.isEmpty else { return nil }
                let row = heap[0].current
                if try !heap[0].advance() {
                    heap.swapAt(0, heap.count - 1)
                    heap.removeLast()
                }
                siftDown(0)
                return row
            }
            guard !parts.isEmpty else { return nil }
            var pick = 0
            if parts.count > 1 {
                for candidate in 1..<parts.count where parts[candidate].timestamp < parts[pick].timestamp {
                    pick = candidate
                }
            }
            let row = parts[pick].current
            if try !parts[pick].advance() { parts.remove(at: pick) }
            return row
        }

        private mutating func siftDown(_ start: Int) {
            var parent = start
            while true {
                var smallest = parent
                for child in [2 * parent + 1, 2 * parent + 2] where child < heap.count {
                    if heap[child].precedes(heap[smallest]) { smallest = child }
                }
                guard smallest != parent else { return }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }
}

extension SeriesKey {
    /// The order series are listed in: site, target, path type, path, agent, then the rest.
    package static func precedes(_ a: SeriesKey, _ b: SeriesKey) -> Bool {
        func words(_ key: SeriesKey) -> [String] {
            [
                key.site ?? "", key.target, key.pathType, key.path, key.agent, key.region ?? "", key.isp ?? "",
                key.asn.map { String($0) } ?? "", key.prefix ?? "",
            ]
        }
        return words(a).lexicographicallyPrecedes(words(b))
    }
}

/// A window of up to 64 rows of one stored chunk (which is in time order), for merging every chunk of a series
/// whose rows came out of order without loading the chunks whole.
private struct ChunkWindow {
    static let rows = 64
    let store: RowStore
    let series: Int
    let chunk: Int
    let map: [UInt32]
    /// The chunk's place in input order, which breaks ties between equal times.
    let order: Int
    private let count: Int
    private var buffer: [StoredRow] = []
    private var loaded = 0
    private var position = 0
    /// The row under the window (valid after `advance` returned true).
    private(set) var current = StoredRow(
        timestamp: 0, round: 0, n: 0, metrics: .init(repeating: 0), pop: 0, status: 0, ok: false, errorKind: 0)
    private var index = -1

    init(store: RowStore, series: Int, chunk: Int, map: [UInt32], order: Int) {
        self.store = store
        self.series = series
        self.chunk = chunk
        self.map = map
        self.order = order
        count = store.rowCount(chunk: chunk, of: series)
    }

    /// Whether this window's row comes before `other`'s: earlier, or as early and earlier in the input.
    func precedes(_ other: ChunkWindow) -> Bool {
        (current.timestamp, order, index) < (other.current.timestamp, other.order, other.index)
    }

    /// Moves to the next row of the chunk; false at its end.
    mutating func advance() throws(ReportError) -> Bool {
        index += 1
        guard index < count else { return false }
        if position >= buffer.count {
            try store.load(rows: loaded..<min(loaded + Self.rows, count), chunk: chunk, of: series, into: &buffer)
            loaded += buffer.count
            position = 0
        }
        current = buffer[position]
        current.pop = map[Int(current.pop)]
        position += 1
        return true
    }
}

/// Reads one part of a series a chunk at a time.
private struct PartCursor {
    let store: RowStore
    let series: Int
    let map: [UInt32]
    private var buffer: [StoredRow] = []
    private var chunk = -1
    private var position = 0
    /// The row under the cursor (valid after `advance` returned true).
    private(set) var current = StoredRow(
        timestamp: 0, round: 0, n: 0, metrics: .init(repeating: 0), pop: 0, status: 0,
        ok: false, errorKind: 0)

    init(store: RowStore, series: Int, map: [UInt32]) {
        self.store = store
        self.series = series
        self.map = map
    }

    var timestamp: Int64 { current.timestamp }

    /// Moves to the next row; false at the end.
    mutating func advance() throws(ReportError) -> Bool {
        while position >= buffer.count {
            chunk += 1
            guard chunk < store.chunkCount(series) else { return false }
            try store.load(chunk: chunk, of: series, into: &buffer)
            position = 0
        }
        current = buffer[position]
        current.pop = map[Int(current.pop)]
        position += 1
        return true
    }
}
