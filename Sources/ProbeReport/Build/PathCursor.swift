/// The rows of one path at one site and target, all its series merged in time order (equal times in series
/// order, then input order), each with the number of the agent that measured it: one pass over the path.
struct PathCursor {
    private var cursors: [SampleTable.SeriesCursor] = []
    private var heads: [StoredRow] = []
    private var agents: [Int] = []

    /// Starts a pass over the rows of `series` (indices into `table.series`).
    init(series: [Int], table: SampleTable) throws(ReportError) {
        for index in series {
            var cursor = try table.cursor(of: index)
            guard let head = try cursor.next() else { continue }
            cursors.append(cursor)
            heads.append(head)
            agents.append(table.agentNumbers[index])
        }
    }

    /// The next row and its agent's number, nil after the last.
    mutating func next() throws(ReportError) -> (row: StoredRow, agent: Int)? {
        guard !cursors.isEmpty else { return nil }
        var pick = 0
        for candidate in 1..<cursors.count where heads[candidate].timestamp < heads[pick].timestamp {
            pick = candidate
        }
        let result = (heads[pick], agents[pick])
        if let following = try cursors[pick].next() {
            heads[pick] = following
        } else {
            cursors.remove(at: pick)
            heads.remove(at: pick)
            agents.remove(at: pick)
        }
        return result
    }

    /// Calls `body` with every row of `series` in time order.
    static func forEach(
        series: [Int], table: SampleTable, _ body: (_ row: StoredRow, _ agent: Int) throws(ReportError) -> Void
    ) throws(ReportError) {
        var cursor = try PathCursor(series: series, table: table)
        while let (row, agent) = try cursor.next() { try body(row, agent) }
    }
}
