/// Reads NDJSON lines of sample schema v1 back into ``Sample`` values: for tests and small tools.
///
/// Written for correctness, not speed (a small hand-written JSON parser builds a value tree per line; report
/// code that reads large files should scan bytes instead). It is strict where the schema is: every v1 field
/// must be present (nullable ones may be `null`), with its schema type, and `schema` must be 1. Fields it
/// does not know are ignored, since the schema may add fields. Durations are read back to the microsecond:
/// `12.345` is 12,345 µs exactly, and a value with finer digits is rounded to the nearest microsecond.
public struct SampleDecoder: Sendable {
    /// Makes a decoder (it has no state).
    public init() {}

    /// Decodes one line (one JSON object; surrounding whitespace and a trailing newline are allowed).
    public func decode(line: some Collection<UInt8>) throws(SampleDecodingError) -> Sample {
        var parser = JSONParser(bytes: Array(line))
        let value: JSONValue
        do throws(JSONSyntaxError) {
            value = try parser.parseDocument()
        } catch {
            throw SampleDecodingError(.malformedJSON(offset: error.offset, detail: error.detail))
        }
        guard case .object(let members) = value else { throw SampleDecodingError(.notAnObject) }
        return try Self.sample(from: JSONFields(members: members, prefix: ""))
    }

    /// Decodes one line given as text.
    public func decode(line: String) throws(SampleDecodingError) -> Sample {
        try decode(line: Array(line.utf8))
    }

    /// Decodes every line of an NDJSON document; blank lines are skipped, `\r\n` line ends are accepted.
    /// An error names its 1-based line number in ``SampleDecodingError/line``.
    public func decodeLines(_ ndjson: some Collection<UInt8>) throws(SampleDecodingError) -> [Sample] {
        var samples: [Sample] = []
        var lineNumber = 0
        for line in Array(ndjson).split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { !JSONParser.isWhitespace($0) }) else { continue }
            do throws(SampleDecodingError) {
                samples.append(try decode(line: line))
            } catch {
                var located = error
                located.line = lineNumber
                throw located
            }
        }
        return samples
    }

    private static func sample(from fields: JSONFields) throws(SampleDecodingError) -> Sample {
        let schema = try fields.integer("schema")
        guard schema == Int64(Sample.schemaVersion) else { throw SampleDecodingError(.unsupportedSchema(schema)) }
        let ts = try fields.string("ts")
        guard let timestamp = Timestamp.parseRFC3339(ts) else {
            throw SampleDecodingError(.invalidValue(field: "ts", detail: "not an RFC 3339 timestamp: \"\(ts)\""))
        }
        let path = try PathTags(
            name: fields.string("path"), type: fields.enumeration("path_type", PathType.self),
            isp: fields.optionalString("isp"), asn: fields.optionalInteger("asn"),
            prefix: fields.optionalString("prefix"), egressIP: fields.optionalString("egress_ip"))
        let phases = try Phases(
            dns: fields.milliseconds("dns_ms"), connect: fields.milliseconds("connect_ms"),
            tls: fields.milliseconds("tls_ms"), request: fields.milliseconds("request_ms"),
            wait: fields.milliseconds("wait_ms"), transfer: fields.milliseconds("transfer_ms"),
            ttfb: fields.milliseconds("ttfb_ms"), total: fields.milliseconds("total_ms"),
            redirect: fields.milliseconds("redirect_ms"))
        return try Sample(
            timestamp: timestamp, agent: fields.string("agent"), site: fields.optionalString("site"),
            region: fields.optionalString("region"), batch: fields.string("batch"), seq: fields.integer("seq"),
            round: fields.integer("round"), n: fields.int("n"), target: fields.string("target"),
            url: fields.string("url"), method: fields.enumeration("method", HTTPMethod.self), path: path,
            localIP: fields.optionalString("local_ip"), localPort: fields.optionalInt("local_port"),
            remoteIP: fields.optionalString("remote_ip"), remotePort: fields.optionalInt("remote_port"),
            ipVersion: fields.optionalInt("ip_version"), httpVersion: fields.optionalString("http_version"),
            status: fields.optionalInt("status"), ok: fields.bool("ok"), error: error(fields),
            phases: phases, bytes: fields.integer("bytes"), pop: fields.optionalString("pop"),
            edgeServer: fields.optionalString("edge_server"), edgeRef: fields.optionalString("edge_ref"))
    }

    private static func error(_ fields: JSONFields) throws(SampleDecodingError) -> SampleError? {
        guard let object = try fields.optionalObject("error") else { return nil }
        return try SampleError(
            kind: object.enumeration("kind", SampleError.Kind.self), code: object.optionalInt("code"),
            message: object.string("message"))
    }
}

extension SampleDecoder {
    /// Decodes the raw contents of a JSON string (the bytes between its quotes, escapes still in place) with
    /// the decoder's own string rules: escapes and surrogate pairs resolved, UTF-8 validated, control bytes
    /// refused. Nil when the contents are not a valid JSON string. For readers that find strings themselves
    /// (the report's scanner) and need the text of a few of them.
    package static func string(fromJSONContents contents: some Collection<UInt8>) -> String? {
        var parser = JSONParser(bytes: [0x22] + Array(contents) + [0x22])
        guard case .string(let text)? = try? parser.parseDocument() else { return nil }
        return text
    }
}

/// Why a line could not be read back as a ``Sample``.
public struct SampleDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// The text is not valid JSON; `offset` is the 0-based byte offset in the line.
        case malformedJSON(offset: Int, detail: String)
        /// The line is valid JSON but not an object.
        case notAnObject
        /// A schema field is absent (nested fields are named like `error.kind`).
        case missingField(String)
        /// A field has the wrong JSON type.
        case wrongType(field: String, expected: String, found: String)
        /// A field has the right type but an impossible value (an unknown `path_type`, a bad timestamp).
        case invalidValue(field: String, detail: String)
        /// `schema` is not 1.
        case unsupportedSchema(Int64)
    }

    /// What was wrong.
    public var reason: Reason
    /// The 1-based line number, when several lines were decoded together.
    public var line: Int?

    /// Makes an error.
    public init(_ reason: Reason, line: Int? = nil) {
        self.reason = reason
        self.line = line
    }

    /// A one-line message, for example `line 3: missing field "seq"`.
    public var description: String {
        let text =
            switch reason {
            case .malformedJSON(let offset, let detail): "malformed JSON at byte \(offset): \(detail)"
            case .notAnObject: "the line is not a JSON object"
            case .missingField(let name): "missing field \"\(name)\""
            case .wrongType(let field, let expected, let found):
                "field \"\(field)\": expected \(expected), found \(found)"
            case .invalidValue(let field, let detail): "field \"\(field)\": \(detail)"
            case .unsupportedSchema(let version):
                "schema \(version) is not supported (this decoder reads schema \(Sample.schemaVersion))"
            }
        return line.map { "line \($0): \(text)" } ?? text
    }
}

// MARK: - Typed field access

/// The members of one JSON object, read with the schema's types; errors name the field.
private struct JSONFields {
    let members: [String: JSONValue]
    /// `error.` for the nested error object, so messages name `error.kind`.
    let prefix: String

    private func value(_ key: String) throws(SampleDecodingError) -> JSONValue {
        guard let value = members[key] else { throw SampleDecodingError(.missingField(prefix + key)) }
        return value
    }

    private func mismatch(_ key: String, _ expected: String, _ found: JSONValue) -> SampleDecodingError {
        SampleDecodingError(.wrongType(field: prefix + key, expected: expected, found: found.summary))
    }

    func string(_ key: String) throws(SampleDecodingError) -> String {
        let found = try value(key)
        guard case .string(let text) = found else { throw mismatch(key, "a string", found) }
        return text
    }

    func optionalString(_ key: String) throws(SampleDecodingError) -> String? {
        let found = try value(key)
        switch found {
        case .null: return nil
        case .string(let text): return text
        default: throw mismatch(key, "a string or null", found)
        }
    }

    func bool(_ key: String) throws(SampleDecodingError) -> Bool {
        let found = try value(key)
        guard case .bool(let flag) = found else { throw mismatch(key, "true or false", found) }
        return flag
    }

    func integer(_ key: String) throws(SampleDecodingError) -> Int64 {
        let found = try value(key)
        guard case .number(let text) = found else { throw mismatch(key, "an integer", found) }
        return try integer(key, text)
    }

    func optionalInteger(_ key: String) throws(SampleDecodingError) -> Int64? {
        let found = try value(key)
        switch found {
        case .null: return nil
        case .number(let text): return try integer(key, text)
        default: throw mismatch(key, "an integer or null", found)
        }
    }

    func int(_ key: String) throws(SampleDecodingError) -> Int {
        try narrow(key, integer(key))
    }

    func optionalInt(_ key: String) throws(SampleDecodingError) -> Int? {
        guard let wide = try optionalInteger(key) else { return nil }
        return try narrow(key, wide)
    }

    /// A duration in milliseconds with up to three decimals, as integer microseconds; nil for `null`.
    func milliseconds(_ key: String) throws(SampleDecodingError) -> Int64? {
        let found = try value(key)
        switch found {
        case .null:
            return nil
        case .number(let text):
            guard let micros = JSONNumber.scaled(text, by: 3) else {
                throw SampleDecodingError(.invalidValue(field: prefix + key, detail: "\(text) ms is out of range"))
            }
            return micros
        default:
            throw mismatch(key, "a number or null", found)
        }
    }

    func enumeration<Value: RawRepresentable<String>>(
        _ key: String, _ type: Value.Type
    ) throws(SampleDecodingError) -> Value {
        let text = try string(key)
        guard let value = Value(rawValue: text) else {
            throw SampleDecodingError(.invalidValue(field: prefix + key, detail: "unknown value \"\(text)\""))
        }
        return value
    }

    func optionalObject(_ key: String) throws(SampleDecodingError) -> JSONFields? {
        let found = try value(key)
        switch found {
        case .null: return nil
        case .object(let members): return JSONFields(members: members, prefix: prefix + key + ".")
        default: throw mismatch(key, "an object or null", found)
        }
    }

    private func integer(_ key: String, _ text: String) throws(SampleDecodingError) -> Int64 {
        guard text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) }) else {
            throw SampleDecodingError(.wrongType(field: prefix + key, expected: "an integer", found: "number \(text)"))
        }
        guard let value = Int64(text) else {
            throw SampleDecodingError(.invalidValue(field: prefix + key, detail: "\(text) is out of range"))
        }
        return value
    }

    private func narrow(_ key: String, _ value: Int64) throws(SampleDecodingError) -> Int {
        guard let narrow = Int(exactly: value) else {
            throw SampleDecodingError(.invalidValue(field: prefix + key, detail: "\(value) is out of range"))
        }
        return narrow
    }
}

// MARK: - A small JSON parser

/// A parsed JSON value. Numbers keep their text, so integers and decimals convert without binary rounding.
private enum JSONValue: Hashable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A short description for error messages: `string "abc"`, `number 12`, `object`.
    var summary: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let text): "number \(text)"
        case .string(let text): text.count <= 40 ? "string \"\(text)\"" : "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Where and why parsing failed.
private struct JSONSyntaxError: Error {
    let offset: Int
    let detail: String
}

/// A recursive-descent parser for one JSON document (RFC 8259), strict: no trailing commas, no comments,
/// no raw control characters in strings, valid UTF-8, no duplicate keys.
private struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 64

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Parses the whole input as one value with optional surrounding whitespace.
    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected text after the value") }
        return value
    }

    private func failure(_ detail: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: index, detail: detail)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
            (0..<length).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] })
        else { throw failure("invalid literal") }
        index += length
        return value
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nested too deeply") }
        index += 1
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            let value = try parseValue()
            guard members.updateValue(value, forKey: key) == nil else {
                throw JSONSyntaxError(offset: keyOffset, detail: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input in an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input in an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw failure("expected ',' or ']'")
            }
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = index
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else { throw JSONSyntaxError(offset: start, detail: "unterminated string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw JSONSyntaxError(offset: start, detail: "string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case ..<0x20:
                throw failure("control character in a string must be escaped")
            default:
                utf8.append(byte)
                index += 1
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        guard index + 1 < bytes.count else { throw failure("unterminated escape") }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\""): utf8.append(0x22)
        case UInt8(ascii: "\\"): utf8.append(0x5C)
        case UInt8(ascii: "/"): utf8.append(0x2F)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw failure("high surrogate without a low surrogate") }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid low surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("low surrogate without a high surrogate")
            }
            utf8.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        default:
            index -= 2
            throw failure("invalid escape")
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw failure("expected a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw failure("leading zero in a number") }
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { throw failure("expected a digit after '.'") }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard isDigit(index) else { throw failure("expected a digit in the exponent") }
            while isDigit(index) { index += 1 }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }
}

/// Exact decimal arithmetic on JSON number text.
package enum JSONNumber {
    /// The number times 10^`scale`, rounded to the nearest integer (halves away from zero); nil when the
    /// result does not fit in `Int64` or the text is not a JSON number.
    package static func scaled(_ text: String, by scale: Int) -> Int64? {
        let utf8 = Array(text.utf8)
        var index = 0
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { index += 1 }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var inFraction = false
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte >= 0x30, byte <= 0x39 {
                digits.append(byte - 0x30)
                if inFraction { fractionDigits += 1 }
            } else {
                break
            }
            index += 1
        }
        var exponent = 0
        if index < utf8.count {
            guard utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") else { return nil }
            index += 1
            var exponentNegative = false
            if index < utf8.count, utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") {
                exponentNegative = utf8[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < utf8.count else { return nil }
            while index < utf8.count {
                let digit = utf8[index] &- 0x30
                guard digit <= 9 else { return nil }
                exponent = min(exponent * 10 + Int(digit), 100_000)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard !digits.isEmpty else { return nil }
        // value = digits × 10^(exponent - fractionDigits); the result keeps `kept` leading digits (then zeros).
        if let firstNonZero = digits.firstIndex(where: { $0 != 0 }) {
            digits.removeFirst(firstNonZero)
        } else {
            return 0
        }
        let shift = exponent - fractionDigits + scale
        let kept = digits.count + shift
        guard kept >= 0 else { return 0 }
        var magnitude: UInt64 = 0
        for position in 0..<kept {
            let digit = position < digits.count ? UInt64(digits[position]) : 0
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if kept < digits.count, digits[kept] >= 5 {
            let (rounded, overflow) = magnitude.addingReportingOverflow(1)
            guard !overflow else { return nil }
            magnitude = rounded
        }
        if negative {
            guard magnitude <= Int64.min.magnitude else { return nil }
            return Int64(truncatingIfNeeded: 0 &- magnitude)
        }
        return Int64(exactly: magnitude)
    }
}
