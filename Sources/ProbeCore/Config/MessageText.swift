/// Makes text from a config or the command line safe to print in a message: control characters (CR, LF, ESC,
/// ...) become visible escapes, so a hostile value cannot move the cursor or recolour the terminal.
package enum MessageText {
    /// `text` with every C0 and C1 control character and DEL escaped: `\r`, `\n`, `\t`, else `\x1B` and the like.
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += visibleEscape(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `\xNN` (two or more upper-case hex digits) for `scalar`: how a control character is shown wherever text
    /// from a file or the command line is printed, in messages and in the HTML report alike.
    package static func visibleEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "\\x" + (hex.count < 2 ? "0" : "") + hex
    }

    /// True for C0 controls, DEL and C1 controls.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
