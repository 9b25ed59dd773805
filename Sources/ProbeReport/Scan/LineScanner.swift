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
/// It is the fast twin of ``ProbeCore/SampleDecoder``, which stays the reference: tests check that both accept
/// and reject the same lines. Strings it does not use are checked for JSON syntax but not for UTF-8
/// validity; strings it does use are validated once per distinct value, when the report first meets them.
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
                || (p.pointee >= 0x30 && p.pointee <= 0x39) || p.pointee == UInt8(ascii: "t")
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
                        guard p.pointee == UInt8(ascii: "-") || (p.pointee >= 0x30 && p.pointee <= 0x39),
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
        guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else {
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
        guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else {
            throw wrongType(field, "an integer or null")
        }
        return try integerDigits(field)
    }

    /// A JSON integer: a fraction or exponent is the wrong type, more than 64 bits out of range.
    private mutating func integerDigits(_ field: SchemaField) throws(ScanFailure) -> Int64 {
        let negative = p.pointee == UInt8(ascii: "-")
        if negative { p += 1 }
        guard p < end, p.pointee &- 0x30 <= 9 else { throw malformed("expected a digit") }
        if p.pointee == 0x30, p + 1 < end, p[1] &- 0x30 <= 9 { throw malformed("leading zero in a number") }
        var magnitude: UInt64 = 0
        var overflow = false
        while p < end, p.pointee &- 0x30 <= 9 {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(p.pointee &- 0x30))
            overflow = overflow || o1 || o2
            magnitude = sum
            p += 1
        }
        if p < end, p.pointee == UInt8(ascii: ".") || p.pointee == UInt8(ascii: "e") || p.pointee == UInt8(ascii: "E") {
            throw wrongType(field, "an integer")
        }
        let limit = negative ? Int64.min.magnitude : UInt64(Int64.max)
        guard !overflow, magnitude <= limit else { throw ScanFailure(reason: .invalid(field, detail: "out of range")) }
        return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }

    /// A duration in ms as integer µs: digits and up to three decimals on the fast path; anything longer
    /// (more decimals, an exponent) is rounded to the microsecond exactly as the strict decoder does.
    private mutating func duration(_ field: SchemaField) throws(ScanFailure) -> UInt32 {
        let first = p.pointee
        if first == UInt8(ascii: "n") {
            guard try literal("null") else { throw wrongType(field, "a number or null") }
            return ScannedLine.nullDuration
        }
        guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else {
            throw wrongType(field, "a number or null")
        }
        let start = p
        if first != UInt8(ascii: "-") {
            var whole: UInt64 = 0
            var digits = 0
            if first == 0x30, p + 1 < end, p[1] &- 0x30 <= 9 { throw malformed("leading zero in a number") }
            while p < end, p.pointee &- 0x30 <= 9, digits < 12 {
                whole = whole &* 10 &+ UInt64(p.pointee &- 0x30)
                digits += 1
                p += 1
            }
            var fraction: UInt64 = 0
            var fractionDigits = 0
            if p < end, p.pointee == UInt8(ascii: "."), digits < 12 {
                p += 1
                while p < end, p.pointee &- 0x30 <= 9, fractionDigits < 3 {
                    fraction = fraction &* 10 &+ UInt64(p.pointee &- 0x30)
                    fractionDigits += 1
                    p += 1
                }
                if fractionDigits == 0 { throw malformed("expected a digit after '.'") }
            }
            let done =
                p == end
                || !(p.pointee &- 0x30 <= 9 || p.pointee == UInt8(ascii: ".")
                    || p.pointee == UInt8(ascii: "e") || p.pointee == UInt8(ascii: "E"))
            if done {
                for _ in fractionDigits..<3 { fraction *= 10 }
                let micros = whole &* 1_000 &+ fraction
                guard micros < UInt64(ScannedLine.nullDuration) else {
                    throw ScanFailure(reason: .invalid(field, detail: "duration out of range (0 to 4294967 ms)"))
                }
                return UInt32(micros)
            }
        }
        // Slow path: the exact decimal rounding of ProbeCore's decoder.
        p = start
        try skipNumber()
        let text = String(decoding: UnsafeBufferPointer(start: start, count: p - start), as: UTF8.self)
        guard let micros = JSONNumber.scaled(text, by: 3), micros >= 0, micros < Int64(ScannedLine.nullDuration) else {
            throw ScanFailure(reason: .invalid(field, detail: "duration out of range (0 to 4294967 ms)"))
        }
        return UInt32(micros)
    }

    // MARK: - JSON syntax

    @inline(__always)
    private mutating func skipWhitespace() {
        while p < end {
            let byte = p.pointee
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A else { return }
            p += 1
        }
    }

    private mutating func literal(_ word: StaticString) throws(ScanFailure) -> Bool {
        let length = word.utf8CodeUnitCount
        guard end - p >= length else { throw malformed("invalid literal") }
        for index in 0..<length where p[index] != word.utf8Start[index] { throw malformed("invalid literal") }
        p += length
        return true
    }

    /// Skips a string starting at its opening quote; returns whether it holds an escape. Eight bytes at a time:
    /// a word with no quote, backslash or control byte is passed over whole.
    @inline(__always)
    private mutating func skipString() throws(ScanFailure) -> Bool {
        let open = p
        p += 1
        var escaped = false
        while true {
            while end - p >= 8 {
                let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let quote = word ^ (ones &* 0x22)
                let slash = word ^ (ones &* 0x5C)
                let special = ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((word &- ones &* 0x20) & ~word)
                let hits = special & highs
                if hits != 0 {
                    // The lowest flagged byte is exact (borrows only flag bytes above a real hit).
                    p += hits.trailingZeroBitCount >> 3
                    break
                }
                p += 8
            }
            guard p < end else {
                p = open
                throw malformed("unterminated string")
            }
            let byte = p.pointee
            if byte == UInt8(ascii: "\"") {
                p += 1
                return escaped
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                try skipEscape()
            } else if byte < 0x20 {
                throw malformed("control character in a string")
            } else {
                p += 1
            }
        }
    }

    private mutating func skipEscape() throws(ScanFailure) {
        guard end - p >= 2 else { throw malformed("unterminated escape") }
        switch p[1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            p += 2
        case UInt8(ascii: "u"):
            guard end - p >= 6 else { throw malformed("truncated \\u escape") }
            for index in 2..<6 {
                let byte = p[index]
                let isHex = byte &- 0x30 <= 9 || (byte | 0x20) &- UInt8(ascii: "a") <= 5
                guard isHex else { throw malformed("invalid \\u escape") }
            }
            p += 6
        default:
            throw malformed("invalid escape")
        }
    }

    private mutating func skipNumber() throws(ScanFailure) {
        if p.pointee == UInt8(ascii: "-") { p += 1 }
        guard p < end, p.pointee &- 0x30 <= 9 else { throw malformed("expected a digit") }
        if p.pointee == 0x30 {
            p += 1
            if p < end, p.pointee &- 0x30 <= 9 { throw malformed("leading zero in a number") }
        } else {
            while p < end, p.pointee &- 0x30 <= 9 { p += 1 }
        }
        if p < end, p.pointee == UInt8(ascii: ".") {
            p += 1
            guard p < end, p.pointee &- 0x30 <= 9 else { throw malformed("expected a digit after '.'") }
            while p < end, p.pointee &- 0x30 <= 9 { p += 1 }
        }
        if p < end, p.pointee == UInt8(ascii: "e") || p.pointee == UInt8(ascii: "E") {
            p += 1
            if p < end, p.pointee == UInt8(ascii: "+") || p.pointee == UInt8(ascii: "-") { p += 1 }
            guard p < end, p.pointee &- 0x30 <= 9 else { throw malformed("expected a digit in the exponent") }
            while p < end, p.pointee &- 0x30 <= 9 { p += 1 }
        }
    }

    /// Skips any JSON value (unknown fields may hold anything), nested at most 64 deep like the decoder.
    private mutating func skipValue(depth: Int) throws(ScanFailure) {
        guard depth <= 64 else { throw malformed("nested too deeply") }
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
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw malformed("unexpected character")
        }
    }

    /// A member's key and its `:`: the key's raw bytes (between the quotes) and whether they hold an escape.
    @inline(__always)
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

    private func wrongType(_ field: SchemaField, _ expected: StaticString) -> ScanFailure {
        ScanFailure(reason: .wrongType(field, expected: expected))
    }
}
