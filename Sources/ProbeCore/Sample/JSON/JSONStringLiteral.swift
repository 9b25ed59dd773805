/// JSON string literals for text that ends up in lines and pages (log lines, the report's JSON and the JSON
/// embedded in its HTML): one escaping rule for every writer of free text.
///
/// `"` and `\` are escaped; `\b`, `\f`, `\n`, `\r` and `\t` take their short forms; every other C0 control
/// character, DEL, the C1 controls and the line and paragraph separators U+2028 and U+2029 become `\uXXXX`
/// (lowercase hex), so that no reader that splits on them can split a value; with `escapingHTML`, `<`, `>` and
/// `&` too, for JSON inside a `<script>` element. Everything else is written as it is, in UTF-8. (Samples
/// have their own byte-level encoder, ``SampleEncoder``.)
package enum JSONStringLiteral {
    /// Appends `text` as a JSON string literal, quotes included.
    package static func append(_ text: String, to out: inout String, escapingHTML: Bool = false) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where escapingHTML: out += "\\u003c"
            case ">" where escapingHTML: out += "\\u003e"
            case "&" where escapingHTML: out += "\\u0026"
            case _ where needsEscape(scalar):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// `text` as a JSON string literal, quotes included.
    package static func quoted(_ text: String, escapingHTML: Bool = false) -> String {
        var out = ""
        append(text, to: &out, escapingHTML: escapingHTML)
        return out
    }

    /// True for the control characters and separators written as `\uXXXX`.
    package static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
            || scalar.value == 0x2029
    }
}
