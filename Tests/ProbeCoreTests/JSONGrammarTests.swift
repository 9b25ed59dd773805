import ProbeCore
import TestSupport
import Testing

/// JSON's number and string grammar, shared by the sample decoder and the report's scanner: where tokens end,
/// what is refused and where, and the text of strings.
@Suite("JSON grammar")
struct JSONGrammarTests {
    /// Runs `body` with pointers to the start and end of `bytes`; a grammar error becomes (offset, detail).
    private static func read<T>(
        _ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, UnsafePointer<UInt8>) throws(JSONGrammarError) -> T
    ) -> Result<T, Mistake> {
        bytes.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress!
            do throws(JSONGrammarError) {
                return .success(try body(start, start + buffer.count))
            } catch {
                return .failure(Mistake(offset: error.position - start, detail: "\(error.detail)"))
            }
        }
    }

    private struct Mistake: Error, Equatable {
        var offset: Int
        var detail: String
    }

    /// The number token at the start of `text`: offsets of its integer end, fraction end and end.
    private static func number(_ text: String) -> Result<[Int], Mistake> {
        read(Array(text.utf8)) { start, end throws(JSONGrammarError) in
            let token = try JSONGrammar.number(at: start, end: end)
            return [token.integerEnd - start, token.fractionEnd - start, token.end - start]
        }
    }

    @Test(
        "A number token ends where the grammar says, with its integer and fraction parts",
        arguments: [
            ("0", [1, 1, 1]), ("-0", [2, 2, 2]), ("12,", [2, 2, 2]), ("-12.50}", [3, 6, 6]), ("1e5", [1, 1, 3]),
            ("1.5E-07 ", [1, 3, 7]), ("0.0", [1, 3, 3]), ("7e+1x", [1, 1, 4]), ("3.", nil), ("01", nil),
        ] as [(String, [Int]?)])
    func numberTokens(text: String, parts: [Int]?) {
        if let parts {
            #expect(Self.number(text) == .success(parts))
        } else {
            #expect(throws: Mistake.self) { try Self.number(text).get() }
        }
    }

    @Test("A malformed number is refused at the offending byte, in the decoder's words")
    func numberMistakes() {
        #expect(Self.number("-") == .failure(Mistake(offset: 1, detail: "expected a digit")))
        #expect(Self.number("-x") == .failure(Mistake(offset: 1, detail: "expected a digit")))
        #expect(Self.number("00") == .failure(Mistake(offset: 1, detail: "leading zero in a number")))
        #expect(Self.number("-01") == .failure(Mistake(offset: 2, detail: "leading zero in a number")))
        #expect(Self.number("1.") == .failure(Mistake(offset: 2, detail: "expected a digit after '.'")))
        #expect(Self.number("1.e3") == .failure(Mistake(offset: 2, detail: "expected a digit after '.'")))
        #expect(Self.number("1e") == .failure(Mistake(offset: 2, detail: "expected a digit in the exponent")))
        #expect(Self.number("2E+") == .failure(Mistake(offset: 3, detail: "expected a digit in the exponent")))
    }

    /// Where the string at the start of `text` ends and whether it holds an escape (syntax only).
    private static func stringEnd(_ text: [UInt8]) -> Result<[Int], Mistake> {
        read(text) { start, end throws(JSONGrammarError) in
            let string = try JSONGrammar.stringEnd(at: start, end: end)
            return [string.end - start, string.escaped ? 1 : 0]
        }
    }

    /// The decoded text of the string at the start of `text`, and where it ends.
    private static func decoded(_ text: [UInt8]) -> Result<String, Mistake> {
        read(text) { start, end throws(JSONGrammarError) in
            let string = try JSONGrammar.decodeString(at: start, end: end)
            return "\(string.end - start):\(string.text)"
        }
    }

    @Test("A string's end and escapes; its text with escapes and surrogate pairs resolved")
    func strings() {
        #expect(Self.stringEnd(Array(#""abc","#.utf8)) == .success([5, 0]))
        #expect(Self.stringEnd(Array(#""a\"b\\"x"#.utf8)) == .success([8, 1]))
        #expect(Self.decoded(Array(#""a\"b\\"x"#.utf8)) == .success(#"8:a"b\"#))
        let escapes = Array(#""\u00e9\u00C9\ud83d\ude00\/\b\f\n\r\t""#.utf8)
        #expect(Self.decoded(escapes) == .success("38:éÉ😀/\u{8}\u{C}\n\r\t"))
        #expect(Self.decoded(Array("\"é☃𝄞\"".utf8)) == .success("11:é☃𝄞"))
    }

    @Test("Only a string without escapes, control bytes or a cut-off end is plain")
    func plainStrings() {
        func plainEnd(_ text: String) -> Int? {
            Array(text.utf8).withUnsafeBufferPointer { buffer in
                let start = buffer.baseAddress!
                return JSONGrammar.plainStringEnd(at: start, end: start + buffer.count).map { $0 - start }
            }
        }
        #expect(plainEnd(#""a long string, past eight bytes","#) == 33)
        #expect(plainEnd(#""""#) == 2)
        #expect(plainEnd(#""a\"b""#) == nil)
        #expect(plainEnd("\"tab\t\"") == nil)
        #expect(plainEnd(#""cut off"#) == nil)
    }

    @Test("The syntax passes any \\u escape and any high byte; the text refuses lone surrogates and bad UTF-8")
    func syntaxAgainstText() {
        let lone = Array(#""\ud800""#.utf8)
        #expect(Self.stringEnd(lone) == .success([8, 1]))
        #expect(Self.decoded(lone) == .failure(Mistake(offset: 7, detail: "high surrogate without a low surrogate")))
        let low = Array(#""\uDC00""#.utf8)
        #expect(Self.stringEnd(low) == .success([8, 1]))
        #expect(Self.decoded(low) == .failure(Mistake(offset: 7, detail: "low surrogate without a high surrogate")))
        let badLow = Array(#""\ud83d\u0041""#.utf8)
        #expect(Self.decoded(badLow) == .failure(Mistake(offset: 13, detail: "invalid low surrogate")))
        let notUTF8: [UInt8] = [0x22, 0x61, 0xFF, 0x22]
        #expect(Self.stringEnd(notUTF8) == .success([4, 0]))
        #expect(Self.decoded(notUTF8) == .failure(Mistake(offset: 0, detail: "string is not valid UTF-8")))
    }

    @Test("A malformed string is refused at the offending byte, by both readers alike")
    func stringMistakes() {
        for (text, offset, detail) in [
            (#""abc"#, 0, "unterminated string"),
            ("\"a\tb\"", 2, "control character in a string must be escaped"),
            (#""a\"#, 2, "unterminated escape"),
            (#""\x""#, 1, "invalid escape"),
            (#""\u12G4""#, 5, "invalid hex digit in \\u escape"),
            (#""\u12""#, 3, "truncated \\u escape"),
            (#""\u1"#, 3, "truncated \\u escape"),
        ] {
            let expected = Result<[Int], Mistake>.failure(Mistake(offset: offset, detail: detail))
            #expect(Self.stringEnd(Array(text.utf8)) == expected, "\(text)")
            #expect(Self.decoded(Array(text.utf8)) == expected.map { _ in "" }, "\(text)")
        }
    }

    @Test("A plain run ends at the first quote, backslash or control byte, found eight bytes at a time")
    func plainRuns() {
        var random = SeededGenerator(seed: 8)
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x0A]
        let plain: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xE2, 0xFF, 0x61]
        for _ in 0..<2_000 {
            var bytes = (0..<Int(random.next() % 40)).map { _ in plain[Int(random.next() % UInt64(plain.count))] }
            for _ in 0..<Int(random.next() % 3) where !bytes.isEmpty {
                bytes[Int(random.next() % UInt64(bytes.count))] = specials[Int(random.next() % UInt64(specials.count))]
            }
            let expected = bytes.firstIndex { specials.contains($0) || $0 < 0x20 } ?? bytes.count
            let found = (bytes + [0]).withUnsafeBufferPointer { buffer in
                JSONGrammar.plainRunEnd(from: buffer.baseAddress!, to: buffer.baseAddress! + bytes.count)
                    - buffer.baseAddress!
            }
            #expect(found == expected, "\(bytes)")
        }
    }

    @Test("The text of raw string contents, as the report reads a few strings it found itself")
    func textOfContents() {
        func text(_ contents: [UInt8]) -> String? {
            contents.withUnsafeBufferPointer { JSONGrammar.text(ofContents: $0) }
        }
        #expect(text(Array(#"a\u00e9\/"#.utf8)) == "aé/")
        #expect(text(Array("plain é".utf8)) == "plain é")
        #expect(text([]) == "")
        #expect(text(Array(#"a"b"#.utf8)) == nil)
        #expect(text(Array(#"\ud800"#.utf8)) == nil)
        #expect(text([0x61, 0xC3]) == nil)
        #expect(text([0x61, 0x01]) == nil)
    }

    @Test(
        "Exact decimal scaling rounds halves away from zero and refuses what is not a JSON number",
        arguments: [
            ("12.3456", 3, 12_346), ("1.5e1", 3, 15_000), ("-0.0005", 3, -1), ("0.0004999", 3, 0), ("7", 3, 7_000),
            ("-0", 3, 0), ("1E-3", 3, 1), ("9223372036854775807", 0, Int64.max),
            ("-9223372036854775808", 0, Int64.min), ("9223372036854775808", 0, nil), ("1e400", 0, nil),
            ("1e-400", 0, 0), ("01", 0, nil), ("1.2.3", 0, nil), (".5", 3, nil), ("", 0, nil),
        ] as [(String, Int, Int64?)])
    func scaled(text: String, scale: Int, expected: Int64?) {
        #expect(JSONNumber.scaled(text, by: scale) == expected)
    }
}
