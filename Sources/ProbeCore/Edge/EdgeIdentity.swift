/// Which Microsoft edge answered a probe, as its response headers tell: the sample fields `pop`, `edge_server` and
/// `edge_ref`.
package struct EdgeIdentity: Sendable, Hashable {
    /// The edge PoP's metro code (`AMS`), when the header gives it.
    package var pop: String?
    /// The edge server's name (`AMSEDGE1018`), when the header gives it.
    package var server: String?
    /// The header's value, trimmed of surrounding spaces and tabs and cut to ``storedValueLimit`` bytes; kept
    /// whenever a rule's header is present.
    package var ref: String?

    /// The most bytes of a header value kept as `edge_ref`; a longer value is cut at a character boundary and
    /// ends in `…` (within the limit).
    package static let storedValueLimit = 256
    /// The most bytes of a header value an edge rule's pattern is matched against; the rest is not read, so a
    /// huge header cannot make matching slow.
    package static let matchedValueLimit = 1_024

    /// Makes an edge identity.
    package init(pop: String? = nil, server: String? = nil, ref: String? = nil) {
        self.pop = pop
        self.server = server
        self.ref = ref
    }

    /// The edge identity that `headers` give under `rules`, or nil when none of the rules' headers is present.
    ///
    /// The first rule, in rule order, whose header is present decides, even when its value gives no PoP: a later
    /// rule is not consulted. `ref` is that header's value, trimmed of surrounding spaces and tabs (possibly empty);
    /// `pop` and `server` are what the rule reads in it, nil when the value does not match. Header names compare
    /// without regard to ASCII case or surrounding spaces; when a header occurs more than once, the first occurrence
    /// counts. Nothing is compiled here, so a call costs a few name comparisons and at most one match.
    package static func identify(
        headers: [(name: String, value: String)], rules: [EdgeRule] = EdgeRule.defaultRules
    ) -> EdgeIdentity? {
        for rule in rules {
            guard let header = headers.first(where: { EdgeText.isHeader($0.name, named: rule.header) }) else {
                continue
            }
            let value = EdgeText.trimmed(header.value)
            let (pop, server) = rule.extract(from: EdgeText.prefix(value, bytes: matchedValueLimit))
            return EdgeIdentity(pop: pop, server: server, ref: EdgeText.capped(value, bytes: storedValueLimit))
        }
        return nil
    }
}

/// Small text helpers for header names and values, without Foundation.
enum EdgeText {
    /// `text` without leading and trailing spaces and tabs.
    static func trimmed(_ text: String) -> Substring {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isBlank(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isBlank(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return text[start..<end]
    }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character boundary.
    static func prefix(_ text: Substring, bytes: Int) -> Substring {
        guard text.utf8.count > bytes else { return text }
        var used = 0
        var end = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            used += text.utf8.distance(from: index, to: next)
            if used > bytes { break }
            end = next
            index = next
        }
        return text[..<end]
    }

    /// `text` as a string of at most `bytes` UTF-8 bytes: whole when it fits, else cut at a character boundary
    /// and ending in `…` (3 bytes, counted within the limit), so a cut value is visibly marked and valid UTF-8.
    static func capped(_ text: Substring, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return String(text) }
        return String(prefix(text, bytes: bytes - 3)) + "…"
    }

    /// `text` with ASCII upper-case letters made lower-case (header names are ASCII).
    static func lowercasedASCII(_ text: String) -> String {
        guard text.utf8.contains(where: isUpper) else { return text }
        return String(decoding: text.utf8.map { isUpper($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Whether header name `name` is `lowercased` (already lower-case), ignoring ASCII case and surrounding blanks.
    static func isHeader(_ name: String, named lowercased: String) -> Bool {
        let name = trimmed(name).utf8
        let expected = lowercased.utf8
        guard name.count == expected.count else { return false }
        return zip(name, expected).allSatisfy { (isUpper($0) ? $0 | 0x20 : $0) == $1 }
    }

    @inline(__always) static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
}
