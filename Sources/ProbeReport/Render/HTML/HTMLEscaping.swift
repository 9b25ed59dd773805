internal import ProbeCore

/// Escaping of untrusted text (target names, paths, ISP names, excerpts of bad input lines) for a page that
/// must read the same as HTML and as XML.
///
/// `&`, `<`, `>`, `"` and `'` become character references everywhere, in text and in attribute values alike.
/// Characters XML 1.0 forbids even as references (C0 controls other than tab, newline and carriage return,
/// and the noncharacters U+FFFE and U+FFFF) are replaced with a visible stand-in: `\xNN` for a C0 control
/// or DEL (U+001B shows as `\x1B`, which every font can draw), U+FFFD otherwise. Carriage returns become
/// `\x0D` too, since an XML parser would fold them into newlines.
package enum HTMLEscaping {
    /// `text` ready to stand between tags or inside a quoted attribute value.
    package static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsWork) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n": result.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{7F}": result += MessageText.visibleEscape(scalar)
            case "\u{FFFE}", "\u{FFFF}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `scalar` is replaced by ``escape(_:)``.
    private static func needsWork(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\"", "'", "\u{7F}", "\u{FFFE}", "\u{FFFF}": true
        case "\t", "\n": false
        default: scalar.value < 0x20
        }
    }
}
