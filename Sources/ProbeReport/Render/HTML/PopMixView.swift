/// The edge PoPs the paths of one site and target reached: a horizontal stacked bar per path (share of
/// answered samples per PoP, one colour per PoP across the paths) and the list of PoP changes with times.
struct PopMixView {
    /// The usages of the site and target, peering-service paths first.
    let usages: [PopUsage]

    /// Makes the view of `usages`.
    init(usages: [PopUsage]) {
        self.usages = usages.enumerated()
            .sorted {
                let left = ChartPalette.rank(pathType: $0.element.pathType)
                let right = ChartPalette.rank(pathType: $1.element.pathType)
                return left != right ? left < right : $0.offset < $1.offset
            }
            .map(\.element)
    }

    /// Colour of each PoP: PoPs ordered by samples over all the paths, colours in that order.
    var colors: [String: String] {
        var totals: [String: Int] = [:]
        var order: [String] = []
        for usage in usages {
            for count in usage.counts {
                guard let pop = count.pop else { continue }
                if totals[pop] == nil { order.append(pop) }
                totals[pop, default: 0] += count.count
            }
        }
        let ranked = order.enumerated().sorted {
            let left = totals[$0.element]!
            let right = totals[$1.element]!
            return left != right ? left > right : $0.offset < $1.offset
        }
        var result: [String: String] = [:]
        for (index, item) in ranked.enumerated() {
            result[item.element] = ChartPalette.pops[index % ChartPalette.pops.count]
        }
        return result
    }

    /// Writes the heading, the bars and the change lists.
    func write(into writer: inout HTMLWriter) {
        writer.element("h3", text: "Edge PoPs reached")
        guard !usages.isEmpty else {
            writer.element("p", ["class": "empty-note"], text: "No PoP information for this target.")
            return
        }
        let colors = self.colors
        writer.element("table", ["class": "popmix"]) { writer in
            writer.element("thead") { writer in
                writer.element("tr") { writer in
                    writer.element("th", text: "Path")
                    writer.element("th", ["class": "bar-column"], text: "Share of answered samples per PoP")
                    writer.element("th", ["class": "num"], text: "Answered")
                    writer.element("th", ["class": "num"], text: "PoP changes")
                }
            }
            writer.element("tbody") { writer in
                for usage in usages { writeRow(usage, colors: colors, into: &writer) }
            }
        }
        let withChanges = usages.filter { !$0.changes.isEmpty || $0.changeCount > 0 }
        guard !withChanges.isEmpty else {
            writer.element("p", ["class": "muted"], text: "No PoP changes.")
            return
        }
        writer.element("div", ["class": "changes"]) { writer in
            for usage in withChanges {
                writer.element("div", ["class": "change-list"]) { writer in
                    writer.element("h4") { writer in
                        writer.text("PoP changes on ")
                        writer.element("span", ["class": "path-name"], text: usage.path)
                        let listed =
                            usage.changes.count < usage.changeCount
                            ? " (\(DisplayText.count(usage.changeCount)); first \(usage.changes.count) listed)"
                            : " (\(DisplayText.count(usage.changeCount)))"
                        writer.element("span", ["class": "muted"], text: listed)
                    }
                    writer.element("ul") { writer in
                        for change in usage.changes {
                            writer.element("li") { writer in
                                writer.element("span", ["class": "time"], text: DisplayText.dateTime(change.timestamp))
                                writer.text(" ")
                                writer.element("span", ["class": "pop"], text: change.from)
                                writer.text(" → ")
                                writer.element("span", ["class": "pop"], text: change.to)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes the row of one path: name, stacked bar with a caption listing every PoP, counts.
    private func writeRow(_ usage: PopUsage, colors: [String: String], into writer: inout HTMLWriter) {
        let total = usage.counts.reduce(0) { $0 + $1.count }
        writer.element("tr", ["data-path-type": usage.pathType]) { writer in
            writer.element("td", ["class": "path-cell"]) { writer in
                LegendSwatch.write(color: ChartPalette.color(pathType: usage.pathType), dash: nil, into: &writer)
                writer.element("span", ["class": "path-name"], text: usage.path)
                writer.empty("br")
                writer.element("span", ["class": "muted"], text: usage.pathType)
            }
            writer.element("td", ["class": "bar-column"]) { writer in
                writer.element("div", ["class": "stack"]) { writer in
                    for count in usage.counts where count.count > 0 && total > 0 {
                        let share = Double(count.count) / Double(total)
                        let fill = count.pop.flatMap { colors[$0] } ?? ChartPalette.noPop
                        let name = count.pop ?? "none"
                        writer.element(
                            "span",
                            [
                                "class": "segment",
                                "style": "width:\(DisplayText.fixed(share * 100, decimals: 3))%;background:\(fill);"
                                    + "color:\(ChartPalette.textColor(on: fill))",
                                "title": "\(name): \(DisplayText.count(count.count)) "
                                    + "(\(DisplayText.percent(fraction: share, decimals: 1)))",
                            ], text: share >= 0.1 ? "\(name) \(DisplayText.percent(fraction: share, decimals: 0))" : "")
                    }
                }
                writer.element("div", ["class": "pop-counts"]) { writer in
                    for (index, count) in usage.counts.enumerated() where count.count > 0 {
                        if index > 0 { writer.text(" · ") }
                        let fill = count.pop.flatMap { colors[$0] } ?? ChartPalette.noPop
                        writer.element("span", ["class": "dot", "style": "background:\(fill)"], text: "")
                        writer.element("span", ["class": "pop"], text: count.pop ?? "no edge header")
                        let share = total > 0 ? Double(count.count) / Double(total) : 0
                        writer.text(
                            " " + DisplayText.count(count.count)
                                + " (" + DisplayText.percent(fraction: share, decimals: 1) + ")")
                    }
                }
            }
            writer.element("td", ["class": "num"], text: DisplayText.count(usage.answered))
            writer.element("td", ["class": "num"], text: DisplayText.count(usage.changeCount))
        }
    }
}
