/// The small line sample in front of a legend entry, drawn like the chart's line (colour and dash).
enum LegendSwatch {
    /// Writes a 26 × 10 inline SVG with one horizontal line.
    static func write(color: String, dash: String?, into writer: inout HTMLWriter) {
        writer.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "class": "swatch", "viewBox": "0 0 26 10", "width": "26",
                "height": "10", "aria-hidden": "true",
            ])
        writer.empty(
            "line",
            [
                "x1": "1", "y1": "5", "x2": "25", "y2": "5", "stroke": color, "stroke-width": "3",
                "stroke-dasharray": dash,
            ])
        writer.close("svg")
    }
}
