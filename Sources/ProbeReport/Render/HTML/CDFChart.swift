/// The latency CDF of one site and target as an inline SVG: one line per path type, x in milliseconds
/// (logarithmic when the values span a factor of 10 or more), y the share of samples at or below.
struct CDFChart {
    /// Curves with at least one finite point, peering-service first.
    let series: [CDFSeries]
    /// The metric the curves are of.
    let metric: Metric
    /// What the chart's title calls the site and target.
    let subject: String

    /// The share lines drawn across the plot, with labels.
    private static let shareTicks: [Double] = [0, 0.25, 0.5, 0.75, 0.9, 1]

    /// Makes the chart of `series`, leaving out points that are not finite numbers.
    init(series: [CDFSeries], metric: Metric, subject: String) {
        let finite = series.map { curve in
            var curve = curve
            curve.points = curve.points.filter { $0.milliseconds.isFinite && $0.fraction.isFinite }
            return curve
        }
        self.series = finite.filter { !$0.points.isEmpty }.enumerated()
            .sorted {
                let left = ChartPalette.rank(pathType: $0.element.pathType)
                let right = ChartPalette.rank(pathType: $1.element.pathType)
                return left != right ? left < right : $0.offset < $1.offset
            }
            .map(\.element)
        self.metric = metric
        self.subject = subject
    }

    /// The x scale: logarithmic when the smallest value is above 0 and the largest is 10 times it or more.
    var scale: ChartScale {
        let values = series.flatMap { $0.points.map(\.milliseconds) }.filter(\.isFinite)
        let low = values.min() ?? 0
        let high = values.max() ?? 1
        if low > 0, high / low >= 10 { return .logarithmic(from: low, to: high) }
        return .linear(from: low, to: high, tickCount: 7)
    }

    /// Writes the figure: caption, SVG and legend.
    func write(into writer: inout HTMLWriter) {
        writer.element("figure", ["class": "chart-figure"]) { writer in
            writer.element("figcaption", text: "Latency CDF: \(metric.rawValue) (ms)")
            writeSVG(into: &writer)
            writeLegend(into: &writer)
        }
    }

    /// Writes the SVG element.
    private func writeSVG(into writer: inout HTMLWriter) {
        let frame = PlotFrame()
        let scale = self.scale
        let logarithmic = scale.kind == .logarithmic
        frame.open(
            &writer, classes: "chart cdf", title: "Latency CDF of \(metric.rawValue) for \(subject)",
            data: [("scale", logarithmic ? "log" : "linear"), ("series", "\(series.count)")])
        frame.writeYTicks(Self.shareTicks.map { ($0, DisplayText.fixed($0 * 100, decimals: 0) + "%") }, into: &writer)
        frame.writeXTicks(
            scale.ticks.map { .init(position: scale.position($0), lines: [ChartScale.label($0)]) },
            into: &writer)
        frame.writeAxes(
            xTitle: "\(metric.rawValue), ms" + (logarithmic ? " (log scale)" : ""),
            yTitle: "samples at or below", into: &writer)
        if series.isEmpty {
            frame.writeEmpty("no answered samples to plot", into: &writer)
        }
        writer.element("g", ["class": "series"]) { writer in
            for curve in series {
                var data = ""
                for (index, point) in curve.points.enumerated() {
                    let x = frame.x(scale.position(point.milliseconds))
                    let y = frame.y(min(max(point.fraction, 0), 1))
                    data += (index == 0 ? "M" : "L") + MachineText.coordinate(x) + " " + MachineText.coordinate(y)
                }
                writer.element(
                    "path",
                    [
                        "class": "line", "d": data, "stroke": ChartPalette.color(pathType: curve.pathType),
                        "data-path-type": curve.pathType,
                    ]
                ) { writer in
                    writer.element("title", text: "\(curve.pathType): \(DisplayText.count(curve.count, "sample"))")
                }
            }
        }
        writer.close("svg")
    }

    /// Writes the legend under the chart.
    private func writeLegend(into writer: inout HTMLWriter) {
        guard !series.isEmpty else { return }
        writer.element("ul", ["class": "legend"]) { writer in
            for curve in series {
                writer.element("li") { writer in
                    LegendSwatch.write(color: ChartPalette.color(pathType: curve.pathType), dash: nil, into: &writer)
                    writer.element("span", ["class": "legend-name"], text: curve.pathType)
                    writer.element("span", ["class": "muted"], text: " " + DisplayText.count(curve.count, "sample"))
                }
            }
        }
    }
}
