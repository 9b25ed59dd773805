/// A plain text table with aligned columns, for terminals.
///
/// Columns are separated by two spaces and padded to their widest cell; right-aligned columns suit numbers.
/// Cells go through ``DisplayText/visible(_:)``, so a line break or escape sequence in a name cannot break a row
/// or reach the terminal. Widths count `Character`s: a character a terminal draws two columns wide (CJK,
/// most emoji) still counts as one.
///
/// Widths can be limited three ways, each truncating cells with `…`: ``maxColumnWidth`` for every column,
/// ``columnWidthLimits`` for some, and ``maxLineWidth`` for the whole line, which narrows the widest
/// ``shrinkable`` column one character at a time until the line fits. It first keeps each column at least
/// as wide as its ``columnMinimumWidths`` entry, or else its header and ``minimumShrunkWidth``; if the line
/// is still too long it narrows the same columns down to ``minimumShrunkWidth`` alone, and past that it
/// gives up (the right-aligned columns alone are then wider than the line).
package struct TextTable: Sendable {
    /// Column titles.
    package var header: [String]
    /// Rows of cells; a short row is padded with empty cells, cells past the header are dropped.
    package var rows: [[String]]
    /// Columns aligned to the right (numbers).
    package var rightAligned: Set<Int>
    /// The widest any column may be, or nil.
    package var maxColumnWidth: Int?
    /// The widest given columns may be, by column index; applies on top of ``maxColumnWidth``.
    package var columnWidthLimits: [Int: Int]
    /// The longest a rendered line may be, or nil; reached by narrowing ``shrinkable`` columns.
    package var maxLineWidth: Int?
    /// Columns ``maxLineWidth`` may narrow; nil means every left-aligned column.
    package var shrinkable: Set<Int>?
    /// The narrowest ``maxLineWidth`` makes a column.
    package var minimumShrunkWidth: Int
    /// The narrowest ``maxLineWidth`` makes given columns before it narrows any to ``minimumShrunkWidth``, by
    /// column index; columns not listed keep their header's width and ``minimumShrunkWidth`` then.
    package var columnMinimumWidths: [Int: Int]
    /// Text between columns.
    package var separator: String

    /// Makes a table.
    package init(
        header: [String], rows: [[String]] = [], rightAligned: Set<Int> = [], maxColumnWidth: Int? = nil,
        columnWidthLimits: [Int: Int] = [:], maxLineWidth: Int? = nil, shrinkable: Set<Int>? = nil,
        minimumShrunkWidth: Int = 6, columnMinimumWidths: [Int: Int] = [:], separator: String = "  "
    ) {
        self.header = header
        self.rows = rows
        self.rightAligned = rightAligned
        self.maxColumnWidth = maxColumnWidth
        self.columnWidthLimits = columnWidthLimits
        self.maxLineWidth = maxLineWidth
        self.shrinkable = shrinkable
        self.minimumShrunkWidth = minimumShrunkWidth
        self.columnMinimumWidths = columnMinimumWidths
        self.separator = separator
    }

    /// The table as lines separated by newlines (no newline at the end), header first.
    package func render() -> String { lines().joined(separator: "\n") }

    /// The table's lines, header first, then one per row; no line ends with a space.
    package func lines() -> [String] {
        let columns = header.count
        let headerCells = header.map(DisplayText.visible)
        let bodyCells = rows.map { row in
            (0..<columns).map { index in index < row.count ? DisplayText.visible(row[index]) : "" }
        }
        let widths = columnWidths(header: headerCells, body: bodyCells)
        func line(_ cells: [String]) -> String {
            var out = ""
            for (index, cell) in cells.enumerated() {
                let text = DisplayText.truncated(cell, to: widths[index])
                let padding = String(repeating: " ", count: max(0, widths[index] - text.count))
                if index > 0 { out += separator }
                out += rightAligned.contains(index) ? padding + text : text + padding
            }
            while out.last == " " { out.removeLast() }
            return out
        }
        return [line(headerCells)] + bodyCells.map(line)
    }

    /// The width of each column: the widest cell, within the column limits, narrowed for ``maxLineWidth``.
    private func columnWidths(header: [String], body: [[String]]) -> [Int] {
        var widths = header.map(\.count)
        for row in body {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        for index in widths.indices {
            if let limit = maxColumnWidth { widths[index] = min(widths[index], max(1, limit)) }
            if let limit = columnWidthLimits[index] { widths[index] = min(widths[index], max(1, limit)) }
        }
        guard let maxLineWidth, !widths.isEmpty else { return widths }
        let candidates = (shrinkable ?? Set(widths.indices.filter { !rightAligned.contains($0) }))
            .filter { widths.indices.contains($0) }
        let natural = widths
        let preferred = widths.indices.map {
            min(natural[$0], columnMinimumWidths[$0] ?? max(minimumShrunkWidth, header[$0].count))
        }
        let floors = widths.indices.map { min(natural[$0], max(1, minimumShrunkWidth)) }
        var total = widths.reduce(0, +) + separator.count * (widths.count - 1)
        for limits in [preferred, floors] {
            while total > maxLineWidth {
                let widest = candidates.filter { widths[$0] > limits[$0] }.max { (widths[$0], -$0) < (widths[$1], -$1) }
                guard let widest else { break }
                widths[widest] -= 1
                total -= 1
            }
        }
        return widths
    }
}
