extension JSONGrammar {
    /// The text of the string whose opening quote is at `open`, and where the string ends (after the closing
    /// quote): escapes resolved, surrogate escapes paired, and the result checked as UTF-8. It accepts the
    /// strings ``stringEnd(at:end:)`` accepts, less those that are not valid Unicode.
    package static func decodeString(
        at open: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) throws(JSONGrammarError) -> (text: String, end: UnsafePointer<UInt8>) {
        var utf8: [UInt8] = []
        var p = open + 1
        while true {
            let run = plainRunEnd(from: p, to: end)
            utf8.append(contentsOf: UnsafeBufferPointer(start: p, count: run - p))
            p = run
            if try closesString(at: p, opening: open, end: end) {
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw JSONGrammarError(at: open, "string is not valid UTF-8")
                }
                return (text, p + 1)
            }
            p = try unescape(at: p, end: end, into: &utf8)
        }
    }

    /// The text of a string given by its raw contents (the bytes between its quotes, escapes still in place),
    /// as ``decodeString(at:end:)`` reads it; nil when the contents are not a valid JSON string. For readers
    /// that find strings with ``stringEnd(at:end:)`` and need the text of a few of them.
    package static func text(ofContents contents: UnsafeBufferPointer<UInt8>) -> String? {
        let quoted = [UInt8(ascii: "\"")] + contents + [UInt8(ascii: "\"")]
        return quoted.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress!
            guard let decoded = try? decodeString(at: start, end: start + buffer.count),
                decoded.end == start + buffer.count
            else { return nil }
            return decoded.text
        }
    }

    /// Appends the UTF-8 of the escape whose backslash is at `start` (with the low half of a surrogate pair
    /// when it is the high half); returns where the escape ends.
    private static func unescape(
        at start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, into utf8: inout [UInt8]
    ) throws(JSONGrammarError) -> UnsafePointer<UInt8> {
        var stop = try escapeEnd(at: start, end: end)
        if let byte = unescaped(start[1]) {
            utf8.append(byte)
            return stop
        }
        var scalar = hex4(start + 2)
        if (0xD800..<0xDC00).contains(scalar) {
            guard end - stop >= 2, stop[0] == UInt8(ascii: "\\"), stop[1] == UInt8(ascii: "u") else {
                throw JSONGrammarError(at: stop, "high surrogate without a low surrogate")
            }
            let lowStart = stop
            stop = try escapeEnd(at: lowStart, end: end)
            let low = hex4(lowStart + 2)
            guard (0xDC00..<0xE000).contains(low) else { throw JSONGrammarError(at: stop, "invalid low surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw JSONGrammarError(at: stop, "low surrogate without a high surrogate")
        }
        utf8.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        return stop
    }

    /// The value of four hex digits that ``escapeEnd(at:end:)`` has checked.
    private static func hex4(_ digits: UnsafePointer<UInt8>) -> UInt32 {
        (0..<4).reduce(0) { value, index in value << 4 | UInt32(hexValue(digits[index])!) }
    }
}
