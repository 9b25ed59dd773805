/// The medians per time bucket of one site and target as an inline SVG: one line per path, x in UTC time
/// with labels fitted to the span (a second label line carries the date or year where it changes), y in
/// milliseconds. A line breaks where buckets are missing, so an outage shows as a gap.
struct TimeSeriesChart {
    /// Series with at least one finite point, peering-service paths first.
    let series: [TimeSeries]
    /// Bucket width (µs).
    let bucket: Int64
    /// The metric the medians are of.
    let metric: Metric
    /// What the chart's title calls the site and target.
    let subject: String

    /// Tick steps to choose from (µs), from a minute to 30 days.
    private static let steps: [Int64] = [
        1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1_440, 2_880, 10_080, 20_160, 43_200,
    ].map { $0 * DisplayText.microsecondsPerMinute }

    /// Series drawn with more points than this get no point markers (isolated points still do).
    private static let markerLimit = 48

    /// Makes the chart of `charts`' time series, leaving out medians that are not finite numbers.
    init(charts: TargetCharts, metric: Metric, subject: String) {
        let finite = charts.timeSeries.map { line in
            var line = line
            line.points = line.points.filter { $0.median.isFinite }
            return line
        }
        series = finite.filter { !$0.points.isEmpty }.enumerated()
            .sorted {
                let left = ChartPalette.rank(pathType: $0.element.pathType)
                let right = ChartPalette.rank(pathType: $1.element.pathType)
                return left != right ? left < right : $0.offset < $1.offset
            }
            .map(\.element)
        bucket = max(charts.bucketMicroseconds, 1_000_000)
        self.metric = metric
        self.subject = subject
    }

    /// The dash pattern of each series: paths of one type differ by dash.
    var dashes: [String?] {
        var seen: [String: Int] = [:]
        return series.map { line in
            let index = seen[line.pathType, default: 0]
            seen[line.pathType] = index + 1
            return ChartPalette.dashes[index % ChartPalette.dashes.count]
        }
    }

    /// The time covered: first bucket start to last bucket end (µs).
    var domain: (start: Int64, end: Int64) {
        let starts = series.flatMap { $0.points.map(\.bucketStart) }
        let start = starts.min() ?? 0
        return (start, (starts.max() ?? 0) + bucket)
    }

    /// The tick step: the smallest of ``steps`` no finer than a bucket that gives at most 7 ticks.
    var step: Int64 {
        let span = domain.end - domain.start
        return Self.steps.first { $0 >= min(bucket, Self.steps.last!) && span / $0 <= 7 }
            ?? max(span / 6 / DisplayText.microsecondsPerDay, 1) * DisplayText.microsecondsPerDay
    }

    /// The ticks of the time axis: multiples of ``step`` inside the domain, labelled `HH:MM` below a day
    /// and `MM-DD` from a day up.
    var ticks: [PlotFrame.XTick] {
        let (start, end) = domain
        let step = self.step
        var tick = (start / step + (start % step == 0 ? 0 : 1)) * step
        var result: [PlotFrame.XTick] = []
        var previous = ""
        while tick <= end {
            let position = Double(tick - start) / Double(end - start)
            let daily = step >= DisplayText.microsecondsPerDay
            let context = daily ? String(DisplayText.date(tick).prefix(4)) : DisplayText.monthDay(tick)
            let main = daily ? DisplayText.monthDay(tick) : DisplayText.hourMinute(tick)
            result.append(.init(position: position, lines: context == previous ? [main] : [main, context]))
            previous = context
            tick += step
        }
        return result
    }

    /// Writes the figure: caption, SVG and legend.
    func write(into writer: inout HTMLWriter) {
        writer.element("figure", ["class": "chart-figure"]) { writer in
            writer.element(
                "figcaption",
                text: "Median \(metric.rawValue) (ms) per \(DisplayText.bucket(bucket)) bucket, by path")
            writeSVG(into: &writer)
            writeLegend(into: &writer)
        }
    }

    /// Writes the SVG element.
    private func writeSVG(into writer: inout HTMLWriter) {
        let frame = PlotFrame()
        let medians = series.flatMap { $0.points.map(\.median) }.filter(\.isFinite)
        let scale = ChartScale.linear(from: medians.min() ?? 0, to: medians.max() ?? 1, tickCount: 6)
        let (start, end) = domain
        frame.open(
            &writer, classes: "chart timeseries", title: "Median \(metric.rawValue) over time for \(subject)",
            data: [("bucket", DisplayText.bucket(bucket)), ("series", "\(series.count)")])
        frame.writeYTicks(scale.ticks.map { (scale.position($0), ChartScale.label($0)) }, into: &writer)
        if !series.isEmpty { frame.writeXTicks(ticks, into: &writer) }
        frame.writeAxes(xTitle: "time (UTC)", yTitle: "median \(metric.rawValue), ms", into: &writer)
        if series.isEmpty {
            frame.writeEmpty("no answered samples to plot", into: &writer)
        }
        func x(_ time: Int64) -> String {
            MachineText.coordinate(frame.x(Double(time + bucket / 2 - start) / Double(end - start)))
        }
        func y(_ median: Double) -> String { MachineText.coordinate(frame.y(scale.position(median))) }
        writer.element("g", ["class": "series"]) { writer in
            for (line, dash) in zip(series, dashes) {
                let color = ChartPalette.color(pathType: line.pathType)
                var data = ""
                var isolated: [TimePoint] = []
                for (index, point) in line.points.enumerated() {
                    let joinsPrevious = index > 0 && point.bucketStart - line.points[index - 1].bucketStart <= bucket
                    let joinsNext =
                        index + 1 < line.points.count
                        && line.points[index + 1].bucketStart - point.bucketStart <= bucket
                    if !joinsPrevious, !joinsNext { isolated.append(point) }
                    data += (joinsPrevious ? "L" : "M") + x(point.bucketStart) + " " + y(point.median)
                }
                writer.element(
                    "path",
                    [
                        "class": "line", "d": data, "stroke": color, "stroke-dasharray": dash,
                        "data-path-type": line.pathType,
                    ]
                ) { writer in
                    writer.element("title", text: "\(line.path) (\(line.pathType))")
                }
                let markers = line.points.count <= Self.markerLimit ? line.points : isolated
                guard !markers.isEmpty else { continue }
                writer.element("g", ["class": "markers", "fill": color]) { writer in
                    for point in markers {
                        let tip =
                            line.path + " " + DisplayText.dateMinute(point.bucketStart) + " UTC: median "
                            + DisplayText.millisecondsWithUnit(point.median) + " of "
                            + DisplayText.count(point.count, "sample")
                        writer.element("circle", ["cx": x(point.bucketStart), "cy": y(point.median), "r": "2.6"]) {
                            $0.element("title", text: tip)
                        }
                    }
                }
            }
        }
        writer.close("svg")
    }

    /// Writes the legend under the chart.
    private func writeLegend(into writer: inout HTMLWriter) {
        guard !series.isEmpty else { return }
        writer.element("ul", ["class": "legend"]) { writer in
            for (line, dash) in zip(series, dashes) {
                writer.element("li") { writer in
                    LegendSwatch.write(color: ChartPalette.color(pathType: line.pathType), dash: dash, into: &writer)
                    writer.element("span", ["class": "legend-name"], text: line.path)
                    writer.element("span", ["class": "muted"], text: " " + line.pathType)
                }
            }
        }
    }
}
