/// Number formatting shared by every renderer, without Foundation: fixed decimals, rounding half away from
/// zero on the decimal value.
package enum Format {
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

    /// A p-value as people quote it: `p < 0.001`, else `p = 0.004` (three decimals, or two significant
    /// digits below 0.01).
    package static func pValue(_ p: Double) -> String {
        if p < 0.001 { return "p < 0.001" }
        return "p = " + fixed(p, decimals: 3)
    }

    /// A fraction 0...1 as a percentage with `decimals` digits: `99.95%`.
    package static func percent(fraction: Double, decimals: Int = 2) -> String {
        fixed(fraction * 100, decimals: decimals) + "%"
    }

    /// Milliseconds rounded to the nanosecond (6 decimals), for machine output: values interpolated in
    /// microseconds would otherwise carry binary noise such as `21.769000000000002`.
    package static func nanosecondRounded(_ milliseconds: Double) -> Double {
        (milliseconds * 1e6).rounded() / 1e6
    }

    /// A number for machines (CSV, JSON): the shortest text that reads back as the same Double.
    package static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
