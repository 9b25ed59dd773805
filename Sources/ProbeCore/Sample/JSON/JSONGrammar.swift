/// JSON's grammar (RFC 8259) at the byte level: whitespace, literals, numbers and strings, defined once for
/// every reader of sample lines. ``SampleDecoder``'s parser and the report's line scanner both read their
/// tokens through these routines, so they agree on what is valid and word each mistake alike.
///
/// A routine takes a pointer at the token's first byte and the end of the input, and returns where the token
/// ends or throws a ``JSONGrammarError`` at the offending byte. The routines check syntax only; a string's
/// text, with escapes resolved and Unicode checked, comes from ``decodeString(at:end:)``.
@usableFromInline package enum JSONGrammar {
    // `@usableFromInline` on the type (and on JSONGrammarError): without it the compiler does not serialize the
    // `@inlinable` bodies of a package type, and the report's scanner would call every routine out of line.

    /// How deeply arrays and objects may nest before a reader gives up (a sample line nests two deep).
    @inlinable package static var maximumDepth: Int { 64 }

    /// Whether `byte` is JSON whitespace: space, tab, line feed or carriage return.
    @inlinable @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The literal `word` (`true`, `false` or `null`) at `start`: where it ends.
    @inlinable @inline(__always)
    package static func literalEnd(
        _ word: StaticString, at start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) throws(JSONGrammarError) -> UnsafePointer<UInt8> {
        let length = word.utf8CodeUnitCount
        guard end - start >= length else { throw JSONGrammarError(at: start, "invalid literal") }
        for index in 0..<length where start[index] != word.utf8Start[index] {
            throw JSONGrammarError(at: start, "invalid literal")
        }
        return start + length
    }

    // MARK: - Numbers

    /// The number token at `start`, `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: where its integer
    /// part ends, where its fraction ends (`integerEnd` without a fraction) and where it ends (`fractionEnd`
    /// without an exponent). An integer is a token with `integerEnd == end`.
    @inlinable @inline(__always)
    package static func number(
        at start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) throws(JSONGrammarError) -> (
        integerEnd: UnsafePointer<UInt8>, fractionEnd: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) {
        var p = start
        if p < end, p.pointee == UInt8(ascii: "-") { p += 1 }
        guard p < end, isDigit(p.pointee) else { throw JSONGrammarError(at: p, "expected a digit") }
        if p.pointee == UInt8(ascii: "0") {
            p += 1
            if p < end, isDigit(p.pointee) { throw JSONGrammarError(at: p, "leading zero in a number") }
        } else {
            p = digitsEnd(from: p, to: end)
        }
        let integerEnd = p
        if p < end, p.pointee == UInt8(ascii: ".") {
            p += 1
            guard p < end, isDigit(p.pointee) else { throw JSONGrammarError(at: p, "expected a digit after '.'") }
            p = digitsEnd(from: p, to: end)
        }
        let fractionEnd = p
        if p < end, p.pointee | 0x20 == UInt8(ascii: "e") {
            p += 1
            if p < end, p.pointee == UInt8(ascii: "+") || p.pointee == UInt8(ascii: "-") { p += 1 }
            guard p < end, isDigit(p.pointee) else {
                throw JSONGrammarError(at: p, "expected a digit in the exponent")
            }
            p = digitsEnd(from: p, to: end)
        }
        return (integerEnd, fractionEnd, p)
    }

    /// Whether `byte` is an ASCII digit.
    @inlinable @inline(__always)
    package static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") <= 9
    }

    /// The first byte at or after `start` that is not a digit, or `end`.
    @inlinable @inline(__always)
    static func digitsEnd(from start: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var p = start
        while p < end, isDigit(p.pointee) { p += 1 }
        return p
    }

    // MARK: - Strings

    /// The string whose opening quote is at `open`: where it ends (after the closing quote) and whether it holds
    /// an escape. Syntax only: every `\u` escape with four hex digits passes (a lone surrogate too), and bytes
    /// from 0x80 up are not checked as UTF-8; ``decodeString(at:end:)`` checks both.
    @inlinable @inline(__always)
    package static func stringEnd(
        at open: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) throws(JSONGrammarError) -> (end: UnsafePointer<UInt8>, escaped: Bool) {
        if let stop = plainStringEnd(at: open, end: end) { return (stop, false) }
        return (try escapedStringEnd(at: open, end: end), true)
    }

    /// Where the string whose opening quote is at `open` ends, when it is one plain run closed by a quote (no
    /// escape, no control byte, not cut off); nil otherwise, and then ``stringEnd(at:end:)`` decides.
    @inlinable @inline(__always)
    package static func plainStringEnd(
        at open: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) -> UnsafePointer<UInt8>? {
        let run = plainRunEnd(from: open + 1, to: end)
        return run < end && run.pointee == UInt8(ascii: "\"") ? run + 1 : nil
    }

    /// ``stringEnd(at:end:)`` for a string that is not plain: where it ends. Kept out of line, so that the
    /// common string stays small where it is inlined.
    @usableFromInline
    static func escapedStringEnd(
        at open: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) throws(JSONGrammarError) -> UnsafePointer<UInt8> {
        var p = open + 1
        while true {
            p = plainRunEnd(from: p, to: end)
            if try closesString(at: p, opening: open, end: end) { return p + 1 }
            p = try escapeEnd(at: p, end: end)
        }
    }

    /// The first byte at or after `start` that cannot stand for itself in a string: a quote, a backslash or a
    /// control byte below 0x20; `end` when there is none. Eight bytes at a time: a word with none of them is
    /// passed over whole.
    @inlinable @inline(__always)
    package static func plainRunEnd(
        from start: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>
    ) -> UnsafePointer<UInt8> {
        var p = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while end - p >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let slash = word ^ (ones &* 0x5C)
            let hits =
                (((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((word &- ones &* 0x20) & ~word)) & highs
            // The lowest flagged byte is exact (borrows only flag bytes above a real hit).
            if hits != 0 { return p + hits.trailingZeroBitCount >> 3 }
            p += 8
        }
        while p < end {
            let byte = p.pointee
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return p }
            p += 1
        }
        return end
    }

    /// At `p`, where ``plainRunEnd(from:to:)`` stopped inside the string opened at `open`: true for the closing
    /// quote, false for a backslash (an escape follows); throws at the end of the input or a control byte.
    @inlinable @inline(__always)
    package static func closesString(
        at p: UnsafePointer<UInt8>, opening open: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) throws(JSONGrammarError) -> Bool {
        guard p < end else { throw JSONGrammarError(at: open, "unterminated string") }
        if p.pointee == UInt8(ascii: "\"") { return true }
        if p.pointee == UInt8(ascii: "\\") { return false }
        throw JSONGrammarError(at: p, "control character in a string must be escaped")
    }

    /// The escape whose backslash is at `start`: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` or `\u` and four
    /// hex digits. Returns where it ends.
    @inlinable
    package static func escapeEnd(
        at start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) throws(JSONGrammarError) -> UnsafePointer<UInt8> {
        guard end - start >= 2 else { throw JSONGrammarError(at: start, "unterminated escape") }
        let letter = start[1]
        if unescaped(letter) != nil { return start + 2 }
        guard letter == UInt8(ascii: "u") else { throw JSONGrammarError(at: start, "invalid escape") }
        let digits = start + 2
        guard end - digits >= 4 else { throw JSONGrammarError(at: digits, "truncated \\u escape") }
        for index in 0..<4 where hexValue(digits[index]) == nil {
            throw JSONGrammarError(at: digits + index, "invalid hex digit in \\u escape")
        }
        return digits + 4
    }

    /// The byte a one-letter escape stands for (`n` is a line feed), or nil when `letter` is not one.
    @inlinable @inline(__always)
    static func unescaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// The value of a hex digit in either case, or nil.
    @inlinable @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        if byte &- UInt8(ascii: "0") <= 9 { return byte &- UInt8(ascii: "0") }
        let lower = byte | 0x20
        if lower &- UInt8(ascii: "a") <= 5 { return lower &- UInt8(ascii: "a") + 10 }
        return nil
    }
}
