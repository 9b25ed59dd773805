internal import Synchronization

/// The scanning phase of ``ReportBuilder``: one ``ScanWorker`` per thread pulling blocks from one
/// ``BlockFeeder``, then the input summary merged from what the workers found.
struct ScanPhase {
    /// The workers, each with the rows and counts of the blocks it scanned.
    let workers: [ScanWorker]

    /// The workers that scanned `sources` on `options.threads` threads, each keeping its rows within an equal
    /// share of the memory budget.
    static func run(sources: [InputSource], options: ReportOptions) throws(ReportError) -> ScanPhase {
        let feeder = BlockFeeder(sources: sources)
        let budget = options.rowBudgetBytes / options.threads
        let finished = Mutex<[ScanWorker?]>(Array(repeating: nil, count: options.threads))
        try Parallel.run(options.threads) { index throws(ReportError) in
            var worker = ScanWorker(filter: options.filter, budgetBytes: budget, spillFolder: options.spillFolder)
            var buffer: [UInt8] = []
            while let block = try feeder.next(into: &buffer) {
                try buffer.withUnsafeBufferPointer { (bytes) throws(ReportError) in
                    try worker.consume(bytes, block: block)
                }
            }
            finished.withLock { $0[index] = worker }
        }
        return ScanPhase(workers: finished.withLock { $0.compactMap { $0 } })
    }

    /// Counts, time span, and the first bad lines with their real line numbers.
    func summary(sources: [InputSource], filters: [String]) -> InputSummary {
        // Line numbers: the lines of every earlier block of the same source, plus the line within the block.
        var blockLines: [Int: [Int: Int]] = [:]
        for worker in workers {
            for entry in worker.blockLines { blockLines[entry.source, default: [:]][entry.block] = entry.lines }
        }
        var firstLine: [Int: [Int]] = [:]
        for (source, blocks) in blockLines {
            var starts = Array(repeating: 0, count: (blocks.keys.max() ?? -1) + 1)
            var running = 0
            for block in starts.indices {
                starts[block] = running
                running += blocks[block] ?? 0
            }
            firstLine[source] = starts
        }
        let pending = workers.flatMap(\.badLines).sorted {
            ($0.source, $0.block, $0.lineInBlock) < ($1.source, $1.block, $1.lineInBlock)
        }
        let bad = pending.prefix(ScanWorker.keptBadLines).map { line in
            BadLine(
                source: sources[line.source].name,
                line: (firstLine[line.source]?[line.block] ?? 0) + line.lineInBlock + 1,
                reason: line.reason, excerpt: line.excerpt, torn: line.torn)
        }
        var first: Int64?
        var last: Int64?
        for worker in workers {
            if let low = worker.firstTimestamp { first = min(first ?? low, low) }
            if let high = worker.lastTimestamp { last = max(last ?? high, high) }
        }
        return InputSummary(
            sources: sources.map(\.name), lines: workers.reduce(0) { $0 + $1.lines },
            parsed: workers.reduce(0) { $0 + $1.parsed }, kept: workers.reduce(0) { $0 + $1.kept },
            skipped: workers.reduce(0) { $0 + $1.skipped }, torn: workers.reduce(0) { $0 + $1.torn },
            badLines: Array(bad), firstTimestamp: first, lastTimestamp: last, filters: filters)
    }
}
