/// Renders a report in the format asked for: one entry point for the command line.
public enum ReportRendering {
    /// The report as text in `format` (`width` is the terminal width for the table).
    public static func render(_ report: Report, as format: ReportFormat, width: Int = 100) -> String {
        switch format {
        case .table: TableRenderer(width: width).render(report)
        case .markdown: MarkdownRenderer().render(report)
        case .csv: CSVRenderer().render(report)
        case .json: JSONRenderer().render(report)
        case .html: HTMLRenderer().render(report)
        }
    }
}
