/// A recursive-descent parser for one JSON document (RFC 8259), strict: no trailing commas, no comments,
/// no raw control characters in strings, valid UTF-8, no duplicate keys. Its tokens (literals, numbers,
/// strings) are read by ``JSONGrammar``; it adds the structure: values, arrays, objects and their nesting.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses `bytes` as one value with optional surrounding whitespace.
    static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONNode {
        try Array(bytes).withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
            var parser = JSONParser(bytes: buffer)
            let value = try parser.parseValue()
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw parser.failure("unexpected text after the value") }
            return value
        }
    }

    // Only read while `index < bytes.count`, so the buffer is not empty.
    private var start: UnsafePointer<UInt8> { bytes.baseAddress! }
    private var end: UnsafePointer<UInt8> { bytes.baseAddress! + bytes.count }

    private func failure(_ detail: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: index, detail: detail)
    }

    private func failure(_ error: JSONGrammarError) -> JSONSyntaxError {
        JSONSyntaxError(offset: error.position - start, detail: "\(error.detail)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, JSONGrammar.isWhitespace(bytes[index]) { index += 1 }
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
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

    private mutating func literal(_ word: StaticString, _ value: JSONNode) throws(JSONSyntaxError) -> JSONNode {
        do throws(JSONGrammarError) {
            index = try JSONGrammar.literalEnd(word, at: start + index, end: end) - start
        } catch {
            throw failure(error)
        }
        return value
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= JSONGrammar.maximumDepth else { throw failure("nested too deeply") }
        index += 1
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONNode {
        try enter()
        defer { depth -= 1 }
        var members: [String: JSONNode] = [:]
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

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONNode {
        try enter()
        defer { depth -= 1 }
        var elements: [JSONNode] = []
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

    /// A string starting at its opening quote, as its text.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        do throws(JSONGrammarError) {
            let string = try JSONGrammar.decodeString(at: start + index, end: end)
            index = string.end - start
            return string.text
        } catch {
            throw failure(error)
        }
    }

    /// A number, kept as its text.
    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNode {
        do throws(JSONGrammarError) {
            let first = start + index
            let stop = try JSONGrammar.number(at: first, end: end).end
            index = stop - start
            return .number(String(decoding: UnsafeBufferPointer(start: first, count: stop - first), as: UTF8.self))
        } catch {
            throw failure(error)
        }
    }
}
