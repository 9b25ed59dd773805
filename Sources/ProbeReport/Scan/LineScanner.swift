internal import ProbeCore

/// Why a line was skipped; the text is built only for the few lines a report quotes.
package struct ScanFailure: Error, Sendable {
    /// What was wrong.
    package enum Reason: Sendable {
        /// Not valid JSON at `offset`.
        case malformed(offset: Int, detail: StaticString)
        /// Valid JSON so far, but not an object.
        case notAnObject
        /// A schema field is absent.
        case missing(SchemaField)
        /// A field is present twice.
        case duplicate(SchemaField)
        /// A field has the wrong JSON type.
        case wrongType(SchemaField, expected: StaticString)
        /// A field's value is impossible (unknown enum word, bad timestamp, out of range).
        case invalid(SchemaField, detail: StaticString)
        /// `error.kind` is missing or unknown, or `error` has a field of the wrong type.
        case invalidError(detail: StaticString)
        /// A schema version this reader does not know.
        case unsupportedSchema(Int64)
    }

    /// What was wrong.
    package var reason: Reason

    /// One line for people: `field "seq": expected an integer`.
    package var message: String {
        switch reason {
        case .malformed(let offset, let detail): "not JSON: \(detail) at byte \(offset + 1)"
        case .notAnObject: "not a JSON object"
        case .missing(let field): "missing field \"\(field.name)\""
        case .duplicate(let field): "field \"\(field.name)\" appears twice"
        case .wrongType(let field, let expected): "field \"\(field.name)\": expected \(expected)"
        case .invalid(let field, let detail): "field \"\(field.name)\": \(detail)"
        case .invalidError(let detail): "field \"error\": \(detail)"
        case .unsupportedSchema(let version):
            "schema \(version) is not supported (this version of peering-probe reads schema \(Sample.schemaVersion))"
        }
    }
}

/// A byte-level scanner for one NDJSON line of sample schema v1: it walks the object once, converts the
/// fields a report needs in place (durations to integer microseconds, timestamps to µs since the epoch) and
/// checks the others for presence and JSON type, without building a dictionary or a `String` per line.
///
/// It is the fast twin of ``ProbeCore/SampleDecoder``, which stays the reference: both read JSON's tokens
/// through ProbeCore's `JSONGrammar`, and tests check that both accept and reject the same lines. Strings it
/// does not use are checked for JSON syntax but not for UTF-8 validity; strings it does use are validated once
/// per distinct value, when the report first meets them.
package struct LineScanner {
    private let base: UnsafePointer<UInt8>
    private let end: UnsafePointer<UInt8>
    private var p: UnsafePointer<UInt8>

    /// Scans `line` (without its newline) into `out`; returns why the line is unusable, or nil.
    ///
    /// A line exactly as ``ProbeCore/SampleEncoder`` writes it (keys in order, no whitespace, no escapes, no
    /// error object) takes a straight-line fast path; anything else, or anything the fast path doubts, is
    /// scanned again by the general walk, which also words every error. `fastPath: false` is for tests.
    package static func scan(
        _ line: UnsafeBufferPointer<UInt8>, into out: inout ScannedLine, fastPath: Bool = true
    ) -> ScanFailure? {
        guard let base = line.baseAddress, line.count > 0 else {
            return ScanFailure(reason: .malformed(offset: 0, detail: "empty line"))
        }
        if fastPath {
            var fast = CanonicalLineScanner(base: base, end: base + line.count)
            if fast.scan(into: &out) { return nil }
        }
        var scanner = LineScanner(base: base, end: base + line.count, p: base)
        do throws(ScanFailure) {
            try scanner.scanObject(into: &out)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - The object

    private mutating func scanObject(into out: inout ScannedLine) throws(ScanFailure) {
        skipWhitespace()
        guard p < end else { throw malformed("empty line") }
        guard p.pointee == UInt8(ascii: "{") else {
            if p.pointee == UInt8(ascii: "[") || p.pointee == UInt8(ascii: "\"") || p.pointee == UInt8(ascii: "-")
                || JSONGrammar.isDigit(p.pointee) || p.pointee == UInt8(ascii: "t")
                || p.pointee == UInt8(ascii: "f") || p.pointee == UInt8(ascii: "n")
            {
                var copy = self
                if (try? copy.skipValue(depth: 0)) != nil {
                    copy.skipWhitespace()
                    if copy.p == end { throw ScanFailure(reason: .notAnObject) }
                }
            }
            throw malformed("expected '{'")
        }
        p += 1
        var seen: UInt64 = 0
        var expected = 0
        out.metrics = .init(repeating: ScannedLine.nullDuration)
        skipWhitespace()
        if p < end, p.pointee == UInt8(ascii: "}") {
            p += 1
        } else {
            while true {
                let (key, escaped) = try memberKey()
                let field = escaped ? nil : Self.field(key.baseAddress!, key.count, expected: expected)
                skipWhitespace()
                if let field {
                    let bit = UInt64(1) << UInt64(field.rawValue)
                    guard seen & bit == 0 else { throw ScanFailure(reason: .duplicate(field)) }
                    seen |= bit
                    expected = field.rawValue + 1
                    try scanValue(of: field, into: &out)
                } else {
                    try skipValue(depth: 1)
                }
                if try endOfMember(closing: UInt8(ascii: "}")) { break }
            }
        }
        skipWhitespace()
        guard p == end else { throw malformed("unexpected text after the object") }
        if seen != SchemaField.allMask {
            // Report the schema version first: a line of another version is that, not a line with holes.
            for field in SchemaField.allCases where seen & (UInt64(1) << UInt64(field.rawValue)) == 0 {
                throw ScanFailure(reason: .missing(field))
            }
        }
    }

    /// The schema field a key names: the one after the previous key first (the encoder's order), else a search.
    private static func field(_ key: UnsafePointer<UInt8>, _ length: Int, expected: Int) -> SchemaField? {
        if expected < SchemaField.allCases.count, matches(key, length, SchemaField.keyBytes[expected]) {
            return SchemaField(rawValue: expected)
        }
        for (index, bytes) in SchemaField.keyBytes.enumerated() where matches(key, length, bytes) {
            return SchemaField(rawValue: index)
        }
        return nil
    }

    @inline(__always)
    private static func matches(_ key: UnsafePointer<UInt8>, _ length: Int, _ bytes: [UInt8]) -> Bool {
        guard bytes.count == length else { return false }
        return bytes.withUnsafeBufferPointer { known in
            for index in 0..<length where known[index] != key[index] { return false }
            return true
        }
    }

    // MARK: - Field values

    private mutating func scanValue(of field: SchemaField, into out: inout ScannedLine) throws(ScanFailure) {
        guard p < end else { throw malformed("expected a value") }
        let first = p.pointee
        switch field {
        case .schema:
            let version = try integer(field)
            guard version == Int64(Sample.schemaVersion) else { throw ScanFailure(reason: .unsupportedSchema(version)) }
        case .ts:
            guard first == UInt8(ascii: "\"") else { throw wrongType(field, "a string") }
            let start = p + 1
            let escaped = try skipString()
            guard !escaped,
                let micros = Timestamp.parseRFC3339(utf8: UnsafeBufferPointer(start: start, count: p - 1 - start))
            else { throw ScanFailure(reason: .invalid(field, detail: "not an RFC 3339 timestamp")) }
            out.timestamp = micros
        case .seq, .bytes:
            _ = try integer(field)
        case .round:
            out.round = try integer(field)
        case .n:
            out.n = try integer(field)
        case .status:
            out.status = try optionalInteger(field) ?? -1
        case .asn:
            out.asn = try optionalInteger(field)
        case .localPort, .remotePort, .ipVersion:
            _ = try optionalInteger(field)
        case .agent: out.agent = try string(field)
        case .target: out.target = try string(field)
        case .path: out.path = try string(field)
        case .batch, .url: _ = try string(field)
        case .method:
            let span = try string(field)
            guard Self.equals(base, span, "GET") || Self.equals(base, span, "HEAD") else {
                throw ScanFailure(reason: .invalid(field, detail: "unknown method"))
            }
        case .pathType:
            let span = try string(field)
            guard let index = PathType.allCases.firstIndex(where: { Self.equals(base, span, $0.rawValue) }) else {
                throw ScanFailure(reason: .invalid(field, detail: "unknown path type"))
            }
            out.pathType = UInt8(index)
        case .site: out.site = try optionalString(field)
        case .region: out.region = try optionalString(field)
        case .isp: out.isp = try optionalString(field)
        case .prefix: out.prefix = try optionalString(field)
        case .pop: out.pop = try optionalString(field)
        case .egressIP, .localIP, .remoteIP, .httpVersion, .edgeServer, .edgeRef:
            _ = try optionalString(field)
        case .ok:
            if first == UInt8(ascii: "t"), try literal("true") {
                out.ok = true
            } else if first == UInt8(ascii: "f"), try literal("false") {
                out.ok = false
            } else {
                throw wrongType(field, "true or false")
            }
        case .error:
            if first == UInt8(ascii: "n") {
                guard try literal("null") else { throw wrongType(field, "an object or null") }
                out.errorKind = 0
            } else {
                guard first == UInt8(ascii: "{") else { throw wrongType(field, "an object or null") }
                out.errorKind = try errorObject()
            }
        case .dnsMs, .connectMs, .tlsMs, .requestMs, .waitMs, .transferMs, .ttfbMs, .totalMs, .redirectMs:
            let micros = try duration(field)
            if let metric = field.metric { out.metrics[metric.index] = micros }
        }
    }

    /// The `error` object: `kind` (a known word), `code` (integer or null), `message` (string), others ignored.
    private mutating func errorObject() throws(ScanFailure) -> UInt8 {
        p += 1
        var kind: UInt8 = 0
        var seen = 0
        skipWhitespace()
        if p < end, p.pointee == UInt8(ascii: "}") {
            p += 1
        } else {
            while true {
                let (key, escaped) = try memberKey()
                skipWhitespace()
                guard p < end else { throw malformed("expected a value") }
                if !escaped, key.elementsEqual("kind".utf8) {
                    guard seen & 1 == 0 else { throw ScanFailure(reason: .invalidError(detail: "\"kind\" twice")) }
                    seen |= 1
                    guard p.pointee == UInt8(ascii: "\"") else {
                        throw ScanFailure(reason: .invalidError(detail: "\"kind\" must be a string"))
                    }
                    let start = p + 1
                    _ = try skipString()
                    let span = ByteSpan(start: Int32(start - base), length: Int32(p - 1 - start), escaped: false)
                    guard
                        let index = SampleError.Kind.allCases.firstIndex(where: { Self.equals(base, span, $0.rawValue) }
                        )
                    else { throw ScanFailure(reason: .invalidError(detail: "unknown error kind")) }
                    kind = UInt8(index + 1)
                } else if !escaped, key.elementsEqual("code".utf8) {
                    guard seen & 2 == 0 else { throw ScanFailure(reason: .invalidError(detail: "\"code\" twice")) }
                    seen |= 2
                    if p.pointee == UInt8(ascii: "n") {
                        guard try literal("null") else { throw ScanFailure(reason: .invalidError(detail: "bad code")) }
                    } else {
                        guard p.pointee == UInt8(ascii: "-") || JSONGrammar.isDigit(p.pointee),
                            (try? integerDigits(.error)) != nil
                        else { throw ScanFailure(reason: .invalidError(detail: "\"code\" must be an integer or null")) }
                    }
                } else if !escaped, key.elementsEqual("message".utf8) {
                    guard seen & 4 == 0 else { throw ScanFailure(reason: .invalidError(detail: "\"message\" twice")) }
                    seen |= 4
                    guard p.pointee == UInt8(ascii: "\"") else {
                        throw ScanFailure(reason: .invalidError(detail: "\"message\" must be a string"))
                    }
                    _ = try skipString()
                } else {
                    try skipValue(depth: 2)
                }
                if try endOfMember(closing: UInt8(ascii: "}")) { break }
            }
        }
        guard seen == 7 else {
            throw ScanFailure(reason: .invalidError(detail: "needs \"kind\", \"code\" and \"message\""))
        }
        return kind
    }

    @inline(__always)
    private static func equals(_ base: UnsafePointer<UInt8>, _ span: ByteSpan, _ word: String) -> Bool {
        guard !span.isNull, !span.escaped, Int(span.length) == word.utf8.count else { return false }
        var index = Int(span.start)
        for byte in word.utf8 {
            guard base[index] == byte else { return false }
            index += 1
        }
        return true
    }

    // MARK: - Typed values

    private mutating func string(_ field: SchemaField) throws(ScanFailure) -> ByteSpan {
        guard p.pointee == UInt8(ascii: "\"") else { throw wrongType(field, "a string") }
        let start = p + 1
        let escaped = try skipString()
        return ByteSpan(start: Int32(start - base), length: Int32(p - 1 - start), escaped: escaped)
    }

    private mutating func optionalString(_ field: SchemaField) throws(ScanFailure) -> ByteSpan {
        if p.pointee == UInt8(ascii: "n") {
            guard try literal("null") else { throw wrongType(field, "a string or null") }
            return .null
        }
        guard p.pointee == UInt8(ascii: "\"") else { throw wrongType(field, "a string or null") }
        return try string(field)
    }

    private mutating func integer(_ field: SchemaField) throws(ScanFailure) -> Int64 {
        let first = p.pointee
        guard first == UInt8(ascii: "-") || JSONGrammar.isDigit(first) else {
            throw wrongType(field, "an integer")
        }
        return try integerDigits(field)
    }

    private mutating func optionalInteger(_ field: SchemaField) throws(ScanFailure) -> Int64? {
        if p.pointee == UInt8(ascii: "n") {
            guard try literal("null") else { throw wrongType(field, "an integer or null") }
            return nil
        }
        let first = p.pointee
        guard first == UInt8(ascii: "-") || JSONGrammar.isDigit(first) else {
            throw wrongType(field, "an integer or null")
        }
        return try integerDigits(field)
    }

    /// A JSON integer: a fraction or exponent is the wrong type, more than 64 bits out of range.
    private mutating func integerDigits(_ field: SchemaField) throws(ScanFailure) -> Int64 {
        let negative = p.pointee == UInt8(ascii: "-")
        let token = try number()
        guard token.integerEnd == token.end else { throw wrongType(field, "an integer") }
        let digits = negative ? p + 1 : p
        p = token.end
        // No leading zeros: up to 19 digits fit in UInt64, more are out of range.
        let limit = negative ? Int64.min.magnitude : UInt64(Int64.max)
        let magnitude = Self.decimal(digits, token.end)
        guard token.end - digits <= 19, magnitude <= limit else {
            throw ScanFailure(reason: .invalid(field, detail: "out of range"))
        }
        return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }

    /// The value of the decimal digits from `start` to `stop` (wrapping past 19 of them: callers limit the count).
    @inline(__always)
    private static func decimal(_ start: UnsafePointer<UInt8>, _ stop: UnsafePointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        var q = start
        while q < stop {
            value = value &* 10 &+ UInt64(q.pointee &- 0x30)
            q += 1
        }
        return value
    }

    /// A duration in ms as integer µs: digits and up to three decimals on the fast path; anything longer
    /// (more decimals, an exponent) is rounded to the microsecond exactly as the strict decoder does.
    private mutating func duration(_ field: SchemaField) throws(ScanFailure) -> UInt32 {
        let first = p.pointee
        if first == UInt8(ascii: "n") {
            guard try literal("null") else { throw wrongType(field, "a number or null") }
            return ScannedLine.nullDuration
        }
        guard first == UInt8(ascii: "-") || JSONGrammar.isDigit(first) else {
            throw wrongType(field, "a number or null")
        }
        let start = p
        let token = try number()
        p = token.end
        let fractionDigits = max(0, token.fractionEnd - token.integerEnd - 1)
        let micros: Int64
        if first != UInt8(ascii: "-"), token.integerEnd - start <= 12, fractionDigits <= 3,
            token.fractionEnd == token.end
        {
            var fraction = Self.decimal(token.integerEnd + 1, token.fractionEnd)
            for _ in fractionDigits..<3 { fraction &*= 10 }
            micros = Int64(Self.decimal(start, token.integerEnd) &* 1_000 &+ fraction)
        } else {
            // More decimals or an exponent: the exact decimal rounding of ProbeCore's decoder.
            micros = JSONNumber.scaled(UnsafeBufferPointer(start: start, count: token.end - start), by: 3) ?? -1
        }
        guard micros >= 0, micros < Int64(ScannedLine.nullDuration) else {
            throw ScanFailure(reason: .invalid(field, detail: "duration out of range (0 to 4294967 ms)"))
        }
        return UInt32(micros)
    }

    // MARK: - JSON syntax

    @inline(__always)
    private mutating func skipWhitespace() {
        while p < end, JSONGrammar.isWhitespace(p.pointee) { p += 1 }
    }

    private mutating func literal(_ word: StaticString) throws(ScanFailure) -> Bool {
        do throws(JSONGrammarError) {
            p = try JSONGrammar.literalEnd(word, at: p, end: end)
        } catch {
            throw malformed(error)
        }
        return true
    }

    /// Skips a string starting at its opening quote; returns whether it holds an escape.
    @inline(__always)
    private mutating func skipString() throws(ScanFailure) -> Bool {
        guard let stop = JSONGrammar.plainStringEnd(at: p, end: end) else { return try skipEscapedString() }
        p = stop
        return false
    }

    /// ``skipString()`` for a string that is not one plain run (it holds an escape, or is broken).
    @inline(never)
    private mutating func skipEscapedString() throws(ScanFailure) -> Bool {
        do throws(JSONGrammarError) {
            let string = try JSONGrammar.stringEnd(at: p, end: end)
            p = string.end
            return string.escaped
        } catch {
            throw malformed(error)
        }
    }

    /// The number token at `p` (`p` stays at its start): where its parts end.
    @inline(__always)
    private func number() throws(ScanFailure) -> (
        integerEnd: UnsafePointer<UInt8>, fractionEnd: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) {
        do throws(JSONGrammarError) {
            return try JSONGrammar.number(at: p, end: end)
        } catch {
            throw malformed(error)
        }
    }

    /// Skips any JSON value (unknown fields may hold anything), nested no deeper than the decoder allows.
    private mutating func skipValue(depth: Int) throws(ScanFailure) {
        guard depth <= JSONGrammar.maximumDepth else { throw malformed("nested too deeply") }
        guard p < end else { throw malformed("expected a value") }
        switch p.pointee {
        case UInt8(ascii: "\""):
            _ = try skipString()
        case UInt8(ascii: "{"):
            p += 1
            skipWhitespace()
            if p < end, p.pointee == UInt8(ascii: "}") {
                p += 1
                return
            }
            while true {
                _ = try memberKey()
                skipWhitespace()
                try skipValue(depth: depth + 1)
                if try endOfMember(closing: UInt8(ascii: "}")) { return }
            }
        case UInt8(ascii: "["):
            p += 1
            skipWhitespace()
            if p < end, p.pointee == UInt8(ascii: "]") {
                p += 1
                return
            }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                if try endOfMember(closing: UInt8(ascii: "]")) { return }
            }
        case UInt8(ascii: "t"): _ = try literal("true")
        case UInt8(ascii: "f"): _ = try literal("false")
        case UInt8(ascii: "n"): _ = try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): p = try number().end
        default: throw malformed("unexpected character")
        }
    }

    /// A member's key and its `:`: the key's raw bytes (between the quotes) and whether they hold an escape.
    /// Inlined by force: it runs once per key, and the size heuristic would keep it out of line.
    @inline(always)
    private mutating func memberKey() throws(ScanFailure) -> (key: UnsafeBufferPointer<UInt8>, escaped: Bool) {
        skipWhitespace()
        guard p < end, p.pointee == UInt8(ascii: "\"") else { throw malformed("expected a key") }
        let keyStart = p + 1
        let escaped = try skipString()
        let key = UnsafeBufferPointer(start: keyStart, count: p - 1 - keyStart)
        skipWhitespace()
        guard p < end, p.pointee == UInt8(ascii: ":") else { throw malformed("expected ':'") }
        p += 1
        return (key, escaped)
    }

    /// After a member of an object or array: `,` (more follow, false) or the closing bracket (true).
    @inline(__always)
    private mutating func endOfMember(closing: UInt8) throws(ScanFailure) -> Bool {
        skipWhitespace()
        guard p < end else {
            throw malformed(
                closing == UInt8(ascii: "}")
                    ? "unexpected end of line in an object"
                    : "unexpected end of line in an array")
        }
        if p.pointee == UInt8(ascii: ",") {
            p += 1
            return false
        }
        guard p.pointee == closing else {
            throw malformed(closing == UInt8(ascii: "}") ? "expected ',' or '}'" : "expected ',' or ']'")
        }
        p += 1
        return true
    }

    private func malformed(_ detail: StaticString) -> ScanFailure {
        ScanFailure(reason: .malformed(offset: p - base, detail: detail))
    }

    private func malformed(_ error: JSONGrammarError) -> ScanFailure {
        ScanFailure(reason: .malformed(offset: error.position - base, detail: error.detail))
    }

    private func wrongType(_ field: SchemaField, _ expected: StaticString) -> ScanFailure {
        ScanFailure(reason: .wrongType(field, expected: expected))
    }
}
