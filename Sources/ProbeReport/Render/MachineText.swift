/// Numbers and fields as programs read them: JSON and CSV numbers, RFC 4180 CSV fields and SVG coordinates.
/// Text for people comes from ``DisplayText``.
package enum MachineText {
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

    /// A number for a CSV field: ``number(_:)`` for finite values, empty for nil, NaN and infinities.
    package static func csvNumber(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return number(value)
    }

    /// `field` as an RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (or starts or ends with
    /// a space), quotes doubled.
    package static func csvField(_ field: String) -> String {
        let needsQuotes =
            field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needsQuotes else { return field }
        var out = "\""
        for scalar in field.unicodeScalars {
            if scalar == "\"" { out += "\"" }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }

    /// A text cell for a CSV field (a name from the config or the data, never a number): one starting with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in front, so a spreadsheet shows it as text
    /// rather than running it as a formula (OWASP's advice on CSV injection). Pass the result to
    /// ``csvField(_:)``.
    package static func csvText(_ text: String) -> String {
        guard let first = text.utf8.first else { return text }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return "'" + text
        default: return text
        }
    }

    /// A number for an SVG coordinate: one decimal.
    package static func coordinate(_ value: Double) -> String {
        DisplayText.fixed(value, decimals: 1)
    }
}
