/// How to read the edge PoP and edge server out of one response header (config key `edge_rules`).
///
/// A rule names a header and says how to read its value:
/// - ``Kind/pattern(_:)``: a regular expression in Swift `Regex` syntax, searched anywhere in the trimmed value (anchor
///   it with `^` when needed). Capture group 1 is the PoP code. An optional group named `server` gives the edge
///   server's name; when that group comes first because it encloses the PoP code, as in
///   `(?<server>([A-Z]{3})EDGE[0-9]+)`, the PoP code is the first other group. More precisely: the PoP code is the
///   first capture group, other than `server`, that took part in the match, so alternatives may each have their own
///   PoP group. A group that matched the empty string counts as absent. A pattern with a repeated group that
///   repeats or alternates inside (`(a+)+`) is refused, and only the first 1 KiB of a value is matched.
/// - ``Kind/azureRefBase64``: the old `X-Azure-Ref` format, decoded as described on that case.
///
/// The rule is compiled once, when it is made; ``EdgeIdentity/identify(headers:rules:)`` only matches.
///
/// The header name is stored lower-cased, and header names are compared without regard to ASCII case.
public struct EdgeRule: Sendable, Hashable {
    /// How a rule reads the header's value.
    public enum Kind: Sendable, Hashable {
        /// A regular expression (Swift `Regex` syntax): group 1 is the PoP code, a group named `server` the edge
        /// server; see ``EdgeRule``.
        case pattern(String)
        /// The old `X-Azure-Ref` format: `0` followed by standard base64 (padding optional) whose bytes hold the edge
        /// server's name in ASCII, NUL-terminated, among binary fields. Every published example has a 4-byte time,
        /// 4 zero bytes and a 16-byte id before the name, which starts at byte 24.
        ///
        /// The name is found by scanning the bytes for `[A-Z]{3,4}[0-9]{0,2}EDGE[0-9]{2,4}` (`WSTEDGE0619`,
        /// `TYO01EDGE0411`, `MIL30EDGE0609`); the PoP code is its leading letters (`WST`, `TYO`, `MIL`). A name
        /// that ends after byte 27 never takes letters from before byte 24, so an id byte that happens to be an
        /// upper-case letter does not become part of the name. Values in any other shape, such as the newer
        /// opaque `20261128T050000Z-...` references, or text that does not decode, give no PoP and no server.
        case azureRefBase64
    }

    /// A pattern that cannot serve as an edge rule; `description` is the message for the user.
    public struct InvalidPattern: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong with the pattern.
        public enum Problem: Sendable, Hashable {
            /// The regular expression does not compile; the parser's message.
            case doesNotCompile(String)
            /// The regular expression has no capture group for the PoP code (a lone `server` group does not count).
            case noPoPGroup
            /// The regular expression has a repeated group that repeats or alternates inside (`(a+)+`, `(a|b)*`),
            /// which can take exponential time to match; carries that group as written.
            case mayBacktrack(String)
        }

        /// The header name, as the rule gave it.
        public var header: String
        /// The pattern, as the rule gave it.
        public var pattern: String
        /// What is wrong.
        public var problem: Problem

        /// Makes an error.
        public init(header: String, pattern: String, problem: Problem) {
            self.header = header
            self.pattern = pattern
            self.problem = problem
        }

        /// `edge rule for header 'H': pattern 'P' does not compile: REASON` or
        /// `edge rule for header 'H': pattern 'P' needs one capture group for the PoP code`.
        public var description: String {
            let start = "edge rule for header '\(header)': pattern '\(pattern)'"
            switch problem {
            case .doesNotCompile(let reason): return "\(start) does not compile: \(reason)"
            case .noPoPGroup: return "\(start) needs one capture group for the PoP code"
            case .mayBacktrack(let group):
                return "\(start) repeats the group '\(group)', which itself repeats or has alternatives; such a"
                    + " pattern can take exponential time to match: use a character class like [A-Z0-9]+ instead"
            }
        }
    }

    /// The header this rule reads, lower-cased.
    public let header: String
    /// How the header's value is read.
    public let kind: Kind
    /// The compiled regular expression of a `.pattern` rule; nil for the other kinds.
    let compiled: CompiledPattern?

    /// Makes a rule that reads `header` with a regular expression (see ``EdgeRule`` for the capture groups).
    ///
    /// - Throws: ``InvalidPattern`` when the pattern does not compile or has no capture group for the PoP code.
    public init(header: String, pattern: String) throws(InvalidPattern) {
        try self.init(header: header, kind: .pattern(pattern))
    }

    /// Makes a rule of any kind.
    ///
    /// - Throws: ``InvalidPattern`` for a `.pattern` kind whose pattern does not compile or has no capture group
    ///   for the PoP code.
    public init(header: String, kind: Kind) throws(InvalidPattern) {
        let name = String(EdgeText.trimmed(header))
        self.header = EdgeText.lowercasedASCII(name)
        self.kind = kind
        switch kind {
        case .pattern(let pattern):
            compiled = try CompiledPattern(header: name, pattern: pattern)
        case .azureRefBase64:
            compiled = nil
        }
    }

    /// A rule that reads `header` (by default `X-Azure-Ref`) in the old base64 format; see ``Kind/azureRefBase64``.
    public static func azureRefBase64(header: String = "X-Azure-Ref") -> EdgeRule {
        let name = EdgeText.lowercasedASCII(String(EdgeText.trimmed(header)))
        return EdgeRule(lowercasedHeader: name, kind: .azureRefBase64, compiled: nil)
    }

    /// Makes a rule from its parts, unchecked.
    private init(lowercasedHeader: String, kind: Kind, compiled: CompiledPattern?) {
        self.header = lowercasedHeader
        self.kind = kind
        self.compiled = compiled
    }

    /// Two rules are equal when they read the same header in the same way.
    public static func == (lhs: EdgeRule, rhs: EdgeRule) -> Bool {
        lhs.header == rhs.header && lhs.kind == rhs.kind
    }

    /// Hashes the header and the kind (the compiled form follows from them).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(header)
        hasher.combine(kind)
    }

    /// The PoP code and the edge server's name in a (trimmed) header value; nil for what the value does not give.
    func extract(from value: Substring) -> (pop: String?, server: String?) {
        switch kind {
        case .pattern:
            return compiled?.extract(from: value) ?? (nil, nil)
        case .azureRefBase64:
            return AzureRefDecoder.extract(from: value)
        }
    }
}

extension EdgeRule {
    /// The built-in rules, in order of precedence (a config's own `edge_rules` go before them):
    ///
    /// 1. `X-MSEdge-Ref` (Microsoft's edge, for example Bing and Microsoft 365 front ends):
    ///    `Ref A: ... Ref B: AMSEDGE1018 Ref C: ...`; the server is the `Ref B:` token, the PoP its leading part:
    ///    `AMSEDGE1018` gives `AMS`, `BN3EDGE0208` gives `BN3`, and a newer numbered name such as
    ///    `AMS231000108021` gives `AMS`. A `Ref B:` with no such token gives neither.
    /// 2. `X-Azure-Ref` (Azure Front Door and the Azure CDN): the old format `0` + base64 is decoded
    ///    (``Kind/azureRefBase64``); the newer opaque format gives neither.
    /// 3. `X-FEServer` (Exchange Online): the front-end server's name, such as `AM0PR01CA0123`, is the server, and its
    ///    leading 2 to 4 letters (`AM`) are taken as the PoP. This is best effort: Microsoft does not document these
    ///    names, and the letters are a datacenter or region code (`AM` Amsterdam, `DB` Dublin, `PR` Paris), not
    ///    always an airport code like the other headers give.
    ///
    /// In every case the header's value is kept as `edge_ref`.
    public static let defaultRules: [EdgeRule] = [
        builtIn(
            header: "X-MSEdge-Ref",
            pattern: #"Ref B:[ \t]*(?<server>([A-Z]{2,4}[0-9]?)EDGE[0-9]+|([A-Z]{3})[0-9]{6,})(?![A-Za-z0-9])"#),
        azureRefBase64(header: "X-Azure-Ref"),
        builtIn(header: "X-FEServer", pattern: #"^(?<server>([A-Z]{2,4})[0-9][A-Z0-9]*)(?![A-Za-z0-9])"#),
    ]

    /// A rule with a constant pattern of this file; the tests compile every one, so failing is a programming error.
    private static func builtIn(header: String, pattern: String) -> EdgeRule {
        do {
            return try EdgeRule(header: header, pattern: pattern)
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// The lower-case names of the headers the default rules read, for the engine to capture.
    package static var defaultHeaderNames: [String] { headerNames(of: defaultRules) }

    /// The lower-case header names `rules` read, in rule order, each once.
    package static func headerNames(of rules: [EdgeRule]) -> [String] {
        var names: [String] = []
        for rule in rules where !names.contains(rule.header) { names.append(rule.header) }
        return names
    }
}

/// A compiled `.pattern` rule.
///
/// `Regex` is not `Sendable` (it holds a reference to its compiled program), so this box declares
/// `@unchecked Sendable`. Sharing it between threads is safe: the box is immutable, the regex is never mutated after
/// `init`, and matching only reads the program. The one lazy write inside `Regex` (lowering the parsed tree to the
/// matching engine's program on first use) is forced here in `init` by a first match, before the box can be shared,
/// and the standard library publishes that write with an atomic compare-and-exchange in any case.
struct CompiledPattern: @unchecked Sendable {
    /// The compiled expression.
    let regex: Regex<AnyRegexOutput>

    /// Compiles and checks `pattern`; `header` is only for the error message.
    init(header: String, pattern: String) throws(EdgeRule.InvalidPattern) {
        do {
            regex = try Regex(pattern)
        } catch {
            throw EdgeRule.InvalidPattern(
                header: header, pattern: pattern, problem: .doesNotCompile(String(describing: error)))
        }
        guard Self.hasPoPGroup(pattern) else {
            throw EdgeRule.InvalidPattern(header: header, pattern: pattern, problem: .noPoPGroup)
        }
        if let group = BacktrackingCheck.riskyGroup(in: pattern) {
            throw EdgeRule.InvalidPattern(header: header, pattern: pattern, problem: .mayBacktrack(group))
        }
        _ = try? regex.firstMatch(in: "")  // lowers the program now, on this thread (see the type's comment)
    }

    /// The PoP code (first participating group other than `server`) and the `server` group of the first match.
    func extract(from value: Substring) -> (pop: String?, server: String?) {
        guard let match = try? regex.firstMatch(in: value) else { return (nil, nil) }
        var pop: String?
        var server: String?
        for group in match.output.dropFirst() {
            guard let text = group.substring, !text.isEmpty else { continue }
            if group.name == "server" {
                if server == nil { server = String(text) }
            } else if pop == nil {
                pop = String(text)
            }
        }
        return (pop, server)
    }

    /// Whether a pattern that compiles has a capture group other than `server`.
    ///
    /// `Regex` does not tell its capture groups before a match, so this compiles `(?:PATTERN<newline>)|`, which
    /// matches the empty string through its empty alternative and still lists every group of `PATTERN`, unmatched.
    /// The newline only ends a `#` comment in extended mode `(?x)`; a `\E` closes an unterminated `\Q` quote.
    static func hasPoPGroup(_ pattern: String) -> Bool {
        for closing in ["\n)|", "\\E\n)|"] {
            guard let probe = try? Regex("(?:" + pattern + closing),
                let match = try? probe.wholeMatch(in: "")
            else { continue }
            return match.output.dropFirst().contains { $0.name != "server" }
        }
        // Not expected for a pattern that compiles; fall back to "has any capture group at all".
        return (try? Regex(pattern, as: Substring.self)) == nil
    }
}

/// The old `X-Azure-Ref` format; see ``EdgeRule/Kind/azureRefBase64``.
enum AzureRefDecoder {
    /// Where the name starts in every published example: after a 4-byte time, 4 zero bytes and a 16-byte id.
    static let nameOffset = 24

    /// The PoP code and server name in an `X-Azure-Ref` value; nil for what it does not give.
    static func extract(from value: Substring) -> (pop: String?, server: String?) {
        let utf8 = value.utf8
        guard utf8.first == UInt8(ascii: "0"), let bytes = Base64Decoder.decode(utf8.dropFirst()),
            let (server, popLength) = edgeServerName(in: bytes)
        else { return (nil, nil) }
        return (String(server.prefix(popLength)), server)
    }

    /// The first `[A-Z]{3,4}[0-9]{0,2}EDGE[0-9]{2,4}` in `bytes`, and the length of its leading letters.
    static func edgeServerName(in bytes: [UInt8]) -> (name: String, letters: Int)? {
        let edge: [UInt8] = Array("EDGE".utf8)
        guard bytes.count >= 3 + edge.count + 2 else { return nil }
        var index = 3
        while index + edge.count + 2 <= bytes.count {
            defer { index += 1 }
            guard bytes[index] == edge[0], bytes[index + 1] == edge[1], bytes[index + 2] == edge[2],
                bytes[index + 3] == edge[3]
            else { continue }
            var end = index + edge.count
            while end < bytes.count, end - index - edge.count < 4, isDigit(bytes[end]) { end += 1 }
            guard end - index - edge.count >= 2 else { continue }
            var lettersEnd = index
            while lettersEnd > 0, index - lettersEnd < 2, isDigit(bytes[lettersEnd - 1]) { lettersEnd -= 1 }
            let floor = lettersEnd >= nameOffset + 3 ? nameOffset : 0
            var start = lettersEnd
            while start > floor, lettersEnd - start < 4, isUpper(bytes[start - 1]) { start -= 1 }
            guard lettersEnd - start >= 3 else { continue }
            return (String(decoding: bytes[start..<end], as: UTF8.self), lettersEnd - start)
        }
        return nil
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
}
