internal import Logging
internal import ProbeCore

extension LogLine {
    /// The line as text: `2026-12-01T02:57:58.123Z info round overran target=entra-id late_ms=120`.
    ///
    /// Control characters and line separators in the message are escaped (`\n`, `\t`, `\u001B`, `\u2028`) so
    /// one event stays one line. A value
    /// that is empty or holds a space, `"`, `=` or a control character is quoted, with `"` and `\` escaped as
    /// `\"` and `\\`; characters that cannot stand in a key become `_`.
    func textLine() -> String {
        var line = timestamp
        line += " "
        line += level.rawValue
        line += " "
        Self.appendEscaped(message, to: &line)
        for (key, value) in fields {
            line += " "
            Self.appendKey(key, to: &line)
            line += "="
            switch value {
            case .string(let text): Self.appendValue(text, to: &line)
            case .number(let number): line += number
            case .bool(let flag): line += flag ? "true" : "false"
            case .list(let elements): Self.appendValue("[" + elements.joined(separator: ",") + "]", to: &line)
            }
        }
        line += "\n"
        return line
    }

    /// Whether `scalar` is a control character or a line or paragraph separator (C0, DEL, C1, U+2028, U+2029),
    /// which both formats escape so that no reader splits an event into two lines.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        JSONStringLiteral.needsEscape(scalar)
    }

    private static func appendKey(_ key: String, to line: inout String) {
        guard !key.isEmpty else {
            line += "_"
            return
        }
        for scalar in key.unicodeScalars {
            let unusable = isControl(scalar) || scalar == " " || scalar == "=" || scalar == "\""
            line.unicodeScalars.append(unusable ? "_" : scalar)
        }
    }

    private static func appendValue(_ value: String, to line: inout String) {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains { isControl($0) || $0 == " " || $0 == "=" || $0 == "\"" }
        guard needsQuotes else {
            line += value
            return
        }
        line += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            default: appendEscapedScalar(scalar, to: &line)
            }
        }
        line += "\""
    }

    private static func appendEscaped(_ text: String, to line: inout String) {
        guard text.unicodeScalars.contains(where: isControl) else {
            line += text
            return
        }
        for scalar in text.unicodeScalars { appendEscapedScalar(scalar, to: &line) }
    }

    /// Appends `scalar`, or its escape when it is a control character.
    static func appendEscapedScalar(_ scalar: Unicode.Scalar, to line: inout String) {
        switch scalar {
        case "\n": line += "\\n"
        case "\r": line += "\\r"
        case "\t": line += "\\t"
        case _ where isControl(scalar):
            let hex = String(scalar.value, radix: 16, uppercase: true)
            line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: line.unicodeScalars.append(scalar)
        }
    }
}
