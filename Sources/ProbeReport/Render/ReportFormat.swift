/// The forms `report` writes a ``Report`` in (`--format`).
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Aligned text for a terminal, readable in 100 columns (``TableRenderer``).
    case table
    /// GitHub-flavoured Markdown for a ticket (``MarkdownRenderer``).
    case markdown
    /// RFC 4180 CSV, one row per group and metric (``CSVRenderer``).
    case csv
    /// One JSON document with documented keys (``JSONRenderer``, <doc:ReportJSON>).
    case json
    /// A self-contained HTML page with charts.
    case html

    /// The usual file name extension for the format, without the dot.
    public var fileExtension: String {
        switch self {
        case .table: "txt"
        case .markdown: "md"
        case .csv: "csv"
        case .json: "json"
        case .html: "html"
        }
    }

    /// The format a file name asks for by its extension (`.html`/`.htm`, `.json`, `.csv`, `.md`/`.markdown`,
    /// in any case); nil for any other name, which gets the table.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") {
            self = .html
        } else if lower.hasSuffix(".json") {
            self = .json
        } else if lower.hasSuffix(".csv") {
            self = .csv
        } else if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") {
            self = .markdown
        } else {
            return nil
        }
    }
}
