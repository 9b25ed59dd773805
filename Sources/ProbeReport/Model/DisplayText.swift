/// Numbers, times and names as people read them in a report, shared by every renderer: fixed decimals
/// (rounded half away from zero on the decimal value, without Foundation), milliseconds, percentages, p-values,
/// UTC times and durations. Text that programs read (CSV, JSON, SVG) comes from ``MachineText``; the output
/// format itself is a ``ReportFormat``.
package enum DisplayText {
    /// `value` with exactly `decimals` digits after the point (`-0` is written `0`).
    package static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return String(value) }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        let whole = units / divisor
        var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// Milliseconds for people: one decimal from 10 ms up, two below, three below 1 ms.
    package static func milliseconds(_ value: Double) -> String {
        let magnitude = abs(value)
        return fixed(value, decimals: magnitude >= 10 ? 1 : (magnitude >= 1 ? 2 : 3))
    }

    /// A signed milliseconds difference: `+1.25`, `-12.4`.
    package static func signedMilliseconds(_ value: Double) -> String {
        let text = milliseconds(value)
        return value > 0 && text != milliseconds(0) ? "+" + text : text
    }

    /// A signed percentage with one decimal: `+3.1%`.
    package static func signedPercent(_ value: Double) -> String {
        let text = fixed(value, decimals: 1)
        return (value > 0 && text != "0.0" ? "+" : "") + text + "%"
    }

    /// A p-value as people quote it: `p < 0.001` below 0.001, else `p = ` and three decimals rounded half away
    /// from zero (`p = 0.004`, `p = 0.050`, `p = 1.000`).
    package static func pValue(_ p: Double) -> String {
        if p < 0.001 { return "p < 0.001" }
        return "p = " + fixed(p, decimals: 3)
    }

    /// A fraction 0...1 as a percentage with `decimals` digits: `99.95%`.
    package static func percent(fraction: Double, decimals: Int = 2) -> String {
        fixed(fraction * 100, decimals: decimals) + "%"
    }
}
