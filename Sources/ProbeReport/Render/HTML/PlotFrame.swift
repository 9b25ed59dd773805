/// The geometry and furniture of one SVG chart: the drawing area inside margins, grid lines with tick labels,
/// axis titles, and the message shown when there is nothing to draw.
struct PlotFrame {
    /// One tick of the horizontal axis: where it is and its label, one or two lines.
    struct XTick {
        /// Position along the axis, 0...1.
        var position: Double
        /// Label lines, top first (a second line carries the date or year when it changes).
        var lines: [String]
    }

    /// Width of the whole SVG, in its own units.
    var width = 560.0
    /// Height of the whole SVG.
    var height = 330.0
    /// Room left of the plot, for the value labels.
    var left = 58.0
    /// Room right of the plot.
    var right = 18.0
    /// Room above the plot.
    var top = 14.0
    /// Room below the plot, for the tick labels and the axis title.
    var bottom = 54.0

    /// Width of the plot area.
    var plotWidth: Double { width - left - right }
    /// Height of the plot area.
    var plotHeight: Double { height - top - bottom }

    /// The x coordinate of a horizontal position 0...1.
    func x(_ position: Double) -> Double { left + position * plotWidth }

    /// The y coordinate of a vertical position 0...1 (0 at the bottom).
    func y(_ position: Double) -> Double { top + (1 - position) * plotHeight }

    /// Opens the `<svg>` element with a `<title>` for assistive tools; close it with `writer.close("svg")`.
    /// `data` adds `data-*` attributes for tools and tests (`data-scale="log"`).
    func open(_ writer: inout HTMLWriter, classes: String, title: String, data: [(String, String)] = []) {
        writer.open(
            "svg",
            list: [
                ("xmlns", "http://www.w3.org/2000/svg"),
                ("class", classes),
                ("viewBox", "0 0 \(Int(width)) \(Int(height))"),
                ("width", "\(Int(width))"),
                ("height", "\(Int(height))"),
                ("role", "img"),
            ] + data.map { ("data-" + $0.0, $0.1) })
        writer.element("title", text: title)
    }

    /// Draws the vertical grid lines and labels of the horizontal axis.
    func writeXTicks(_ ticks: [XTick], into writer: inout HTMLWriter) {
        writer.element("g", ["class": "grid x"]) { writer in
            for tick in ticks where tick.position >= -1e-9 && tick.position <= 1 + 1e-9 {
                let x = MachineText.coordinate(self.x(tick.position))
                writer.empty(
                    "line",
                    [
                        "x1": x, "x2": x, "y1": MachineText.coordinate(top),
                        "y2": MachineText.coordinate(top + plotHeight),
                    ])
            }
        }
        let labelY = MachineText.coordinate(top + plotHeight + 16)
        writer.element("g", ["class": "tick-labels x"]) { writer in
            for tick in ticks where tick.position >= -1e-9 && tick.position <= 1 + 1e-9 {
                let x = MachineText.coordinate(self.x(tick.position))
                writer.element("text", ["class": "tick-x", "x": x, "y": labelY]) { writer in
                    for (index, line) in tick.lines.enumerated() {
                        let attributes: HTMLWriter.Attributes = [
                            "x": x, "dy": index == 0 ? "0" : "13", "class": index == 0 ? nil : "sub",
                        ]
                        writer.element("tspan", attributes, text: line)
                    }
                }
            }
        }
    }

    /// Draws the horizontal grid lines and labels of the vertical axis.
    func writeYTicks(_ ticks: [(position: Double, label: String)], into writer: inout HTMLWriter) {
        writer.element("g", ["class": "grid y"]) { writer in
            for tick in ticks {
                let y = MachineText.coordinate(self.y(tick.position))
                writer.empty(
                    "line",
                    [
                        "x1": MachineText.coordinate(left), "x2": MachineText.coordinate(left + plotWidth), "y1": y,
                        "y2": y,
                    ])
            }
        }
        writer.element("g", ["class": "tick-labels y"]) { writer in
            for tick in ticks {
                writer.element(
                    "text",
                    [
                        "class": "tick-y", "x": MachineText.coordinate(left - 6),
                        "y": MachineText.coordinate(self.y(tick.position) + 4),
                    ], text: tick.label)
            }
        }
    }

    /// Draws the axis lines and the titles of both axes.
    func writeAxes(xTitle: String, yTitle: String, into writer: inout HTMLWriter) {
        writer.empty(
            "path",
            [
                "class": "axis",
                "d": "M" + MachineText.coordinate(left) + " " + MachineText.coordinate(top)
                    + "V" + MachineText.coordinate(top + plotHeight) + "H" + MachineText.coordinate(left + plotWidth),
            ])
        writer.element(
            "text",
            [
                "class": "axis-title", "x": MachineText.coordinate(left + plotWidth / 2),
                "y": MachineText.coordinate(height - 6),
            ], text: xTitle)
        let middle = MachineText.coordinate(top + plotHeight / 2)
        writer.element(
            "text",
            [
                "class": "axis-title", "x": "0", "y": "0",
                "transform": "translate(14 \(middle)) rotate(-90)",
            ], text: yTitle)
    }

    /// Writes `message` in the middle of the plot area, for a chart without data.
    func writeEmpty(_ message: String, into writer: inout HTMLWriter) {
        writer.element(
            "text",
            [
                "class": "empty", "x": MachineText.coordinate(left + plotWidth / 2),
                "y": MachineText.coordinate(top + plotHeight / 2),
            ], text: message)
    }
}
