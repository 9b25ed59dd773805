/// Finds the shapes of regular expression that make a backtracking matcher (Swift `Regex` is one) take
/// exponential time: a repeated group whose body itself repeats (`(a+)+`, `(?:a*b?)*`) or has alternatives
/// (`(a|a)+`). Edge rules with such a group are refused when the config is read, so a hostile or careless
/// pattern cannot stall a probe; a repeated character class (`[A-Z0-9]+`) does what they usually mean.
enum BacktrackingCheck {
    /// The first repeated group of `pattern` that repeats or alternates inside, as written; nil when there is
    /// none. The scan knows escapes, `\Q...\E` quotes, character classes (nested too) and `(?#...)` comments;
    /// anything it does not know only makes it more careful.
    static func riskyGroup(in pattern: String) -> String? {
        let chars = Array(pattern.unicodeScalars)
        var frames: [(start: Int, inner: Bool)] = []
        var index = 0
        /// Marks the innermost open group, if any, as holding a repetition or alternation.
        func markInner() {
            if !frames.isEmpty { frames[frames.count - 1].inner = true }
        }
        while index < chars.count {
            let char = chars[index]
            switch char {
            case "\\":
                index = skipEscape(chars, at: index)
                continue
            case "[":
                index = skipClass(chars, at: index)
                continue
            case "(":
                if index + 2 < chars.count, chars[index + 1] == "?", chars[index + 2] == "#" {
                    while index < chars.count, chars[index] != ")" { index += 1 }
                    index += 1
                    continue
                }
                frames.append((index, false))
            case ")":
                guard let frame = frames.popLast() else { break }
                let repeats = repetition(chars, at: index + 1)
                if repeats, frame.inner {
                    return String(String.UnicodeScalarView(chars[frame.start...min(index + 1, chars.count - 1)]))
                }
                if repeats || frame.inner { markInner() }
            case "|":
                markInner()
            case "*", "+":
                markInner()
            case "{":
                if repetition(chars, at: index) { markInner() }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// Whether the text at `index` is a quantifier that may repeat more than once: `*`, `+`, or `{n,}` /
    /// `{n,m}` with m above 1.
    private static func repetition(_ chars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index < chars.count else { return false }
        switch chars[index] {
        case "*", "+": return true
        case "{":
            var end = index + 1
            var text = ""
            while end < chars.count, chars[end] != "}" {
                text.unicodeScalars.append(chars[end])
                end += 1
            }
            guard end < chars.count, !text.isEmpty,
                text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "," })
            else { return false }
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            if parts.count == 1 { return (Int(parts[0]) ?? 0) > 1 }
            return parts[1].isEmpty || (Int(parts[1]) ?? 0) > 1
        default: return false
        }
    }

    /// The index after the escape at `index` (`\d`, `\p{L}`, `\x{41}`, `\k<name>`, `\Q...\E`).
    private static func skipEscape(_ chars: [Unicode.Scalar], at index: Int) -> Int {
        var next = index + 2
        guard index + 1 < chars.count else { return chars.count }
        let kind = chars[index + 1]
        if kind == "Q" {
            while next + 1 < chars.count, !(chars[next] == "\\" && chars[next + 1] == "E") { next += 1 }
            return min(next + 2, chars.count)
        }
        if next < chars.count, chars[next] == "{" || chars[next] == "<" {
            let close: Unicode.Scalar = chars[next] == "{" ? "}" : ">"
            if kind.properties.isAlphabetic {
                while next < chars.count, chars[next] != close { next += 1 }
                return min(next + 1, chars.count)
            }
        }
        return next
    }

    /// The index after the character class that opens at `index`, nested classes and escapes included.
    private static func skipClass(_ chars: [Unicode.Scalar], at index: Int) -> Int {
        var depth = 0
        var next = index
        while next < chars.count {
            switch chars[next] {
            case "\\":
                next = skipEscape(chars, at: next)
                continue
            case "[":
                depth += 1
                // A `]` right after `[` or `[^` is a literal member.
                if next + 1 < chars.count, chars[next + 1] == "^" { next += 1 }
                if next + 1 < chars.count, chars[next + 1] == "]" { next += 1 }
            case "]":
                depth -= 1
                if depth == 0 { return next + 1 }
            default: break
            }
            next += 1
        }
        return chars.count
    }
}
