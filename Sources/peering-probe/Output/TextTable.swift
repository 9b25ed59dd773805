/// A plain text table with aligned columns, for terminal summaries.
struct TextTable {
    /// Column titles.
    var header: [String]
    /// Rows of cells, as many as the header.
    var rows: [[String]] = []
    /// Columns aligned to the right (numbers).
    var rightAligned: Set<Int> = []

    /// The table as lines separated by newlines.
    func render() -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (index, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                if index > 0 { out += "  " }
                out += rightAligned.contains(index) ? padding + cell : cell + (index == cells.count - 1 ? "" : padding)
            }
            return out
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
