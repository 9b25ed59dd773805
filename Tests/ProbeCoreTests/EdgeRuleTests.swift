import Foundation
import TestSupport
import Testing

@testable import ProbeCore

/// Edge identification from response headers: the default rules for `X-MSEdge-Ref`, `X-Azure-Ref` (old base64 and
/// new opaque formats) and `X-FEServer`, rule precedence, user rules, pattern validation, and the base64 decoder.
@Suite("Edge rules")
struct EdgeRuleTests {
    /// Identifies with the default rules.
    static func identify(_ headers: [(name: String, value: String)]) -> EdgeIdentity? {
        EdgeIdentity.identify(headers: headers, rules: EdgeRule.defaultRules)
    }

    /// `count` bytes from `generator`.
    static func bytes(_ count: Int, _ generator: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// An old-format `X-Azure-Ref` value laid out like the published examples: `0` + base64 of a 4-byte time, 4 zero
    /// bytes, a 16-byte id, the NUL-terminated edge name and a GUID in text. `lastIDByte` overrides the id's last
    /// byte (the one just before the name).
    static func oldAzureRef(
        name: String, seed: UInt64, lastIDByte: UInt8? = nil, padding: Bool = true
    ) -> String {
        var generator = SeededGenerator(seed: seed)
        var id = bytes(16, &generator)
        if let lastIDByte { id[15] = lastIDByte }
        let payload =
            bytes(4, &generator) + [0, 0, 0, 0] + id + Array(name.utf8) + [0]
            + Array("437c82cd-360a-4a54-94c3-5ff707647783".utf8)
        var text = Data(payload).base64EncodedString()
        if !padding { text.removeAll { $0 == "=" } }
        return "0" + text
    }

    // MARK: X-MSEdge-Ref

    @Test("X-MSEdge-Ref: Ref B names the edge server, its letters the PoP")
    func msEdgeRef() {
        let value = "Ref A: 3F2C9A7B1E6D4A0F8C5B2E9D7A1F3C6B Ref B: AMSEDGE1018 Ref C: 2026-11-28T05:00:00Z"
        let identity = Self.identify([("Content-Type", "text/html"), ("X-MSEdge-Ref", value)])
        #expect(identity == EdgeIdentity(pop: "AMS", server: "AMSEDGE1018", ref: value))
    }

    @Test("X-MSEdge-Ref: lower-case header name, extra spaces around the value and after Ref B:")
    func msEdgeRefCaseAndSpaces() {
        let value = "Ref A: 3F2C9A7B1E6D4A0F8C5B2E9D7A1F3C6B Ref B:   LONEDGE0420  Ref C: 2026-11-28T05:00:00Z"
        let identity = Self.identify([("x-msedge-ref", "  \t" + value + " ")])
        #expect(identity == EdgeIdentity(pop: "LON", server: "LONEDGE0420", ref: value))
        #expect(Self.identify([("  X-MSEDGE-REF ", value)])?.server == "LONEDGE0420")
    }

    @Test(
        "X-MSEdge-Ref: other server name shapes",
        arguments: [
            ("CHGEDGE1619", "CHG"), ("BN3EDGE0208", "BN3"), ("AMS231000108021", "AMS"), ("LON212000105029", "LON"),
        ])
    func msEdgeRefShapes(server: String, pop: String) {
        let value = "Ref A: 0123456789ABCDEF0123456789ABCDEF Ref B: \(server) Ref C: 2026-11-28T05:00:00Z"
        #expect(Self.identify([("X-MSEdge-Ref", value)]) == EdgeIdentity(pop: pop, server: server, ref: value))
    }

    @Test(
        "X-MSEdge-Ref without a usable Ref B keeps the ref only",
        arguments: [
            "Ref A: 3F2C9A7B1E6D4A0F8C5B2E9D7A1F3C6B Ref B: Ref C: 2026-11-28T05:00:00Z",
            "Ref A: 3F2C9A7B1E6D4A0F8C5B2E9D7A1F3C6B Ref B:",
            "Ref A: 3F2C9A7B1E6D4A0F8C5B2E9D7A1F3C6B Ref C: 2026-11-28T05:00:00Z",
            "Ref A: 3F2C9A7B1E6D4A0F8C5B2E9D7A1F3C6B Ref B: amsedge1018 Ref C: 2026-11-28T05:00:00Z",
            "Ref B: AMSEDGE1018X Ref C: 2026-11-28T05:00:00Z",
            "opaque",
        ])
    func msEdgeRefWithoutServer(value: String) {
        #expect(Self.identify([("X-MSEdge-Ref", value)]) == EdgeIdentity(pop: nil, server: nil, ref: value))
    }

    // MARK: X-Azure-Ref

    @Test("X-Azure-Ref, old format: the edge name is found in the base64-decoded bytes")
    func azureRefOld() {
        let value = Self.oldAzureRef(name: "WSTEDGE0619", seed: 1)
        #expect(Self.identify([("X-Azure-Ref", value)]) == EdgeIdentity(pop: "WST", server: "WSTEDGE0619", ref: value))
    }

    @Test("X-Azure-Ref, old format: names with digits before EDGE, padding left out, lower-case header")
    func azureRefOldVariants() {
        for (seed, name, pop) in [(2, "TYO01EDGE0411", "TYO"), (3, "MIL30EDGE0609", "MIL"), (4, "AMSEDGE1018", "AMS")] {
            let padded = Self.oldAzureRef(name: name, seed: UInt64(seed))
            let unpadded = Self.oldAzureRef(name: name, seed: UInt64(seed), padding: false)
            #expect(Self.identify([("X-Azure-Ref", padded)]) == EdgeIdentity(pop: pop, server: name, ref: padded))
            #expect(
                Self.identify([("x-azure-ref", " " + unpadded + " ")])
                    == EdgeIdentity(pop: pop, server: name, ref: unpadded))
        }
    }

    @Test("X-Azure-Ref, old format: an id byte that is an upper-case letter does not join the name")
    func azureRefOldLetterBeforeName() {
        for letter in Array("KZA".utf8) {
            let value = Self.oldAzureRef(name: "WSTEDGE0619", seed: 5, lastIDByte: letter)
            #expect(Self.identify([("X-Azure-Ref", value)])?.server == "WSTEDGE0619")
        }
    }

    @Test("X-Azure-Ref, old format: random bytes around the name, seeded")
    func azureRefOldRandomLayout() {
        var generator = SeededGenerator(seed: 42)
        for round in 0..<200 {
            var before = Self.bytes(Int.random(in: 0...40, using: &generator), &generator)
            // The scan cannot tell a letter just before the name from a 4-letter code outside the known layout.
            if let last = before.last, AzureRefDecoder.isUpper(last) || AzureRefDecoder.isDigit(last) {
                before[before.count - 1] = 0x2D
            }
            let after = Self.bytes(Int.random(in: 0...40, using: &generator), &generator).map { $0 & 0x3F }
            let payload = before + Array("WSTEDGE0619".utf8) + [0] + after
            let value = "0" + Data(payload).base64EncodedString()
            let identity = Self.identify([("X-Azure-Ref", value)])
            #expect(identity == EdgeIdentity(pop: "WST", server: "WSTEDGE0619", ref: value), "round \(round)")
        }
    }

    @Test("X-Azure-Ref: the Azure Front Door documentation's example value")
    func azureRefDocumentedExample() {
        // From Microsoft's Azure Front Door "HTTP headers" page (response headers, X-Azure-Ref), unpadded.
        let value = "0zxV+XAAAAABKMMOjBv2NT4TY6SQVjC0zV1NURURHRTA2MTkANDM3YzgyY2QtMzYwYS00YTU0LTk0YzMtNWZmNzA3NjQ3Nzgz"
        #expect(Self.identify([("X-Azure-Ref", value)]) == EdgeIdentity(pop: "WST", server: "WSTEDGE0619", ref: value))
    }

    @Test(
        "X-Azure-Ref: malformed base64, no edge name, or the new opaque format keeps the ref only",
        arguments: [
            "0zxV + XAAAAABKMMOjBv2NT4TY6SQVjC0zV1NURURHRTA2MTkANDM3YzgyY2QtMzYwYS00YTU0LTk0YzMtNWZmNzA3NjQ3Nzgz",
            "0zxV+XAAAAABKMMOjBv2NT4TY6SQVjC0zV1NURURH=RTA2MTkANDM3YzgyY2QtMzYwYS00YTU0LTk0YzMtNWZmNzA3NjQ3Nzgz",
            "0zxV+XAAAAABKMMOjBv2NT4TY6SQVjC0zV1NURURHRTA2MTkANDM3YzgyY2QtMzYwYS00YTU0LTk0YzMtNWZmNzA3NjQ3Nzgz1",
            "0zxV-XAAAAABKMMOjBv2NT4TY6SQVjC0zV1NURURHRTA2MTkANDM3YzgyY2QtMzYwYS00YTU0LTk0YzMtNWZmNzA3NjQ3Nzgz",
            "0V1NURURHRTA2MTk===",
            "0" + Data("no edge name in here at all".utf8).base64EncodedString(),
            "0" + Data("xxWSTEDGE1yy".utf8).base64EncodedString(),
            "0",
            "20261128T050000Z-15f9d8b7c6abcde12345",
            "20261128T050000Z-r15f9d8b7c6-abcde12345fghij0000000000000000000000000",
            "1zxV+XAAAAABKMMOjBv2NT4TY6SQVjC0zV1NURURHRTA2MTkANDM3YzgyY2QtMzYwYS00YTU0LTk0YzMtNWZmNzA3NjQ3Nzgz",
        ])
    func azureRefWithoutServer(value: String) {
        #expect(Self.identify([("X-Azure-Ref", value)]) == EdgeIdentity(pop: nil, server: nil, ref: value))
    }

    // MARK: X-FEServer

    @Test(
        "X-FEServer: the front-end server name, its leading letters as the PoP (best effort)",
        arguments: [
            ("AM0PR01CA0123", "AM"), ("DB8PR04CA0001", "DB"), ("SN4PR0201CA0040", "SN"), ("PAXP193CA0012", "PAXP"),
        ])
    func feServer(server: String, pop: String) {
        #expect(Self.identify([("X-FEServer", server)]) == EdgeIdentity(pop: pop, server: server, ref: server))
        #expect(Self.identify([("x-feserver", " \(server) ")]) == EdgeIdentity(pop: pop, server: server, ref: server))
    }

    @Test("X-FEServer: a value in another shape keeps the ref only", arguments: ["am0pr01ca0123", "A0PR01", "-", ""])
    func feServerOtherShape(value: String) {
        #expect(Self.identify([("X-FEServer", value)]) == EdgeIdentity(pop: nil, server: nil, ref: value))
    }

    // MARK: Precedence

    @Test("No rule's header present: nil")
    func noHeader() {
        #expect(Self.identify([]) == nil)
        #expect(Self.identify([("Server", "AMSEDGE1018"), ("X-MSEdge-Ref-Other", "Ref B: AMSEDGE1018")]) == nil)
        #expect(EdgeIdentity.identify(headers: [("X-MSEdge-Ref", "Ref B: AMSEDGE1018")], rules: []) == nil)
    }

    @Test("The first rule in rule order decides, wherever its header is in the response")
    func ruleOrder() throws {
        let msEdge = "Ref A: 3F2C9A7B1E6D4A0F8C5B2E9D7A1F3C6B Ref B: AMSEDGE1018 Ref C: 2026-11-28T05:00:00Z"
        let azure = Self.oldAzureRef(name: "WSTEDGE0619", seed: 6)
        let headers: [(name: String, value: String)] = [
            ("X-FEServer", "DB8PR04CA0001"), ("X-Azure-Ref", azure), ("X-MSEdge-Ref", msEdge),
        ]
        #expect(Self.identify(headers) == EdgeIdentity(pop: "AMS", server: "AMSEDGE1018", ref: msEdge))
        #expect(Self.identify(Array(headers.prefix(2))) == EdgeIdentity(pop: "WST", server: "WSTEDGE0619", ref: azure))

        let reversed = Array(EdgeRule.defaultRules.reversed())
        #expect(
            EdgeIdentity.identify(headers: headers, rules: reversed)
                == EdgeIdentity(pop: "DB", server: "DB8PR04CA0001", ref: "DB8PR04CA0001"))
    }

    @Test("A present header decides even when its value gives nothing; later rules are not consulted")
    func presentHeaderDecides() {
        let headers: [(name: String, value: String)] = [
            ("X-FEServer", "AM0PR01CA0123"), ("X-Azure-Ref", "20261128T050000Z-15f9d8b7c6abcde12345"),
        ]
        let ref = "20261128T050000Z-15f9d8b7c6abcde12345"
        #expect(Self.identify(headers) == EdgeIdentity(pop: nil, server: nil, ref: ref))
        #expect(Self.identify([("X-MSEdge-Ref", "   ")]) == EdgeIdentity(pop: nil, server: nil, ref: ""))
    }

    @Test("A header that occurs twice: the first occurrence counts")
    func repeatedHeader() {
        let headers: [(name: String, value: String)] = [
            ("x-feserver", "AM0PR01CA0123"), ("X-FEServer", "DB8PR04CA0001"),
        ]
        #expect(Self.identify(headers)?.server == "AM0PR01CA0123")
    }

    // MARK: User rules

    @Test("User rule: group 1 is the PoP, a named `server` group the server, the header lower-cased")
    func userRule() throws {
        let rule = try EdgeRule(header: "X-Served-By", pattern: #"^([A-Z]{3})-(?<server>\S+)$"#)
        #expect(rule.header == "x-served-by")
        #expect(rule.kind == .pattern(#"^([A-Z]{3})-(?<server>\S+)$"#))
        let identity = EdgeIdentity.identify(headers: [("x-served-by", "FRA-cache-17")], rules: [rule])
        #expect(identity == EdgeIdentity(pop: "FRA", server: "cache-17", ref: "FRA-cache-17"))
        #expect(
            EdgeIdentity.identify(headers: [("X-SERVED-BY", "fra")], rules: [rule])
                == EdgeIdentity(pop: nil, server: nil, ref: "fra"))
    }

    @Test("User rule: a `server` group that encloses the PoP group, and PoP groups in alternatives")
    func userRuleNestedAndAlternatives() throws {
        let nested = try EdgeRule(header: "X-Cache", pattern: #"(?<server>cache-([a-z]{3})[0-9]+)"#)
        #expect(
            EdgeIdentity.identify(headers: [("X-Cache", "HIT from cache-ams12")], rules: [nested])
                == EdgeIdentity(pop: "ams", server: "cache-ams12", ref: "HIT from cache-ams12"))

        let alternatives = try EdgeRule(header: "Via", pattern: #"pop=([A-Z]{3})|edge-([a-z]{3})"#)
        #expect(EdgeIdentity.identify(headers: [("Via", "1.1 edge-par")], rules: [alternatives])?.pop == "par")
        #expect(EdgeIdentity.identify(headers: [("Via", "1.1 x; pop=LHR")], rules: [alternatives])?.pop == "LHR")
        #expect(EdgeIdentity.identify(headers: [("Via", "1.1 x; pop=LHR")], rules: [alternatives])?.server == nil)

        let noServer = try EdgeRule(header: "X-Pop", pattern: "(.*)")
        #expect(
            EdgeIdentity.identify(headers: [("X-Pop", "")], rules: [noServer])
                == EdgeIdentity(pop: nil, server: nil, ref: ""))
    }

    @Test("User rules before the defaults take precedence")
    func userRuleFirst() throws {
        let rule = try EdgeRule(header: "X-MSEdge-Ref", pattern: #"Ref C: ([0-9]{4})"#)
        let value = "Ref A: 1 Ref B: AMSEDGE1018 Ref C: 2026-11-28T05:00:00Z"
        let identity = EdgeIdentity.identify(headers: [("X-MSEdge-Ref", value)], rules: [rule] + EdgeRule.defaultRules)
        #expect(identity == EdgeIdentity(pop: "2026", server: nil, ref: value))
    }

    @Test("Invalid patterns: exact messages")
    func invalidPatternMessages() {
        #expect {
            try EdgeRule(header: "X-MSEdge-Ref", pattern: "Ref B: (AMS")
        } throws: { error in
            (error as? EdgeRule.InvalidPattern)?.description
                == "edge rule for header 'X-MSEdge-Ref': pattern 'Ref B: (AMS' does not compile: expected ')'"
        }
        #expect {
            try EdgeRule(header: "X-Pop", pattern: "[A-Z]{3}EDGE")
        } throws: { error in
            (error as? EdgeRule.InvalidPattern)?.description
                == "edge rule for header 'X-Pop': pattern '[A-Z]{3}EDGE' needs one capture group for the PoP code"
        }
    }

    @Test(
        "Invalid patterns: the reason for each",
        arguments: [
            ("(abc", "does not compile: expected ')'"),
            ("[a", "does not compile: expected ']'"),
            ("*a", "does not compile: quantifier '*' must appear after expression"),
            ("EDGE", "needs one capture group for the PoP code"),
            ("(?:AMS)", "needs one capture group for the PoP code"),
            ("[(]x", "needs one capture group for the PoP code"),
            (#"\(x\)"#, "needs one capture group for the PoP code"),
            ("(?<server>x)", "needs one capture group for the PoP code"),
            ("(?x) a # (b)", "needs one capture group for the PoP code"),
            (#"\Qa(b)"#, "needs one capture group for the PoP code"),
        ])
    func invalidPattern(pattern: String, reason: String) {
        #expect {
            try EdgeRule(header: "X-Edge", pattern: pattern)
        } throws: { error in
            (error as? EdgeRule.InvalidPattern)?.description
                == "edge rule for header 'X-Edge': pattern '\(pattern)' \(reason)"
        }
    }

    @Test(
        "Valid patterns with awkward syntax",
        arguments: [#"(?x) ( [A-Z]{3} ) # the PoP"#, #"(a)\Qb(c"#, "(?i)(ams)", "(?<pop>x)", "(?<server>x)(y)"])
    func validPattern(pattern: String) {
        #expect(throws: Never.self) { try EdgeRule(header: "X-Edge", pattern: pattern) }
    }

    @Test("The error's parts")
    func invalidPatternParts() {
        do {
            _ = try EdgeRule(header: " X-Edge ", pattern: "abc")
            Issue.record("expected an error")
        } catch {
            #expect(error == EdgeRule.InvalidPattern(header: "X-Edge", pattern: "abc", problem: .noPoPGroup))
        }
    }

    // MARK: Defaults, equality, sharing

    @Test("Default header names, lower case, in rule order")
    func defaultHeaderNames() throws {
        #expect(EdgeRule.defaultHeaderNames == ["x-msedge-ref", "x-azure-ref", "x-feserver"])
        #expect(EdgeRule.defaultRules.map(\.header) == EdgeRule.defaultHeaderNames)
        #expect(EdgeRule.defaultRules[1].kind == .azureRefBase64)
        let extra = try EdgeRule(header: "X-MSEdge-Ref", pattern: "(x)")
        #expect(EdgeRule.headerNames(of: [extra] + EdgeRule.defaultRules) == EdgeRule.defaultHeaderNames)
    }

    @Test("Rules compare by lower-cased header and kind")
    func equality() throws {
        #expect(try EdgeRule(header: "X-Edge", pattern: "(a)") == EdgeRule(header: "x-edge", pattern: "(a)"))
        #expect(try EdgeRule(header: "X-Edge", pattern: "(a)") != EdgeRule(header: "X-Edge", pattern: "(b)"))
        #expect(EdgeRule.azureRefBase64() == EdgeRule.azureRefBase64(header: "x-azure-ref"))
        #expect(Set(EdgeRule.defaultRules + EdgeRule.defaultRules).count == 3)
    }

    @Test("Rules are shared between tasks")
    func concurrentUse() async {
        let value = "Ref A: 3F2C9A7B1E6D4A0F8C5B2E9D7A1F3C6B Ref B: AMSEDGE1018 Ref C: 2026-11-28T05:00:00Z"
        let rules = EdgeRule.defaultRules
        let results = await withTaskGroup(of: EdgeIdentity?.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var last: EdgeIdentity?
                    for _ in 0..<200 { last = EdgeIdentity.identify(headers: [("X-MSEdge-Ref", value)], rules: rules) }
                    return last
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: EdgeIdentity(pop: "AMS", server: "AMSEDGE1018", ref: value), count: 8))
    }

    @Test("Identifying from 10 headers is cheap: rules are compiled once, not per call")
    func cheapIdentify() {
        let azure = Self.oldAzureRef(name: "WSTEDGE0619", seed: 7)
        let headers: [(name: String, value: String)] = [
            ("date", "Sat, 28 Nov 2026 05:00:00 GMT"), ("content-type", "text/html; charset=utf-8"),
            ("content-length", "1753"), ("cache-control", "private"), ("strict-transport-security", "max-age=31536000"),
            ("x-content-type-options", "nosniff"), ("x-cache", "CONFIG_NOCACHE"), ("vary", "Accept-Encoding"),
            ("server", "Microsoft-IIS/10.0"), ("x-azure-ref", azure),
        ]
        let clock = ContinuousClock()
        var found = 0
        let elapsed = clock.measure {
            for _ in 0..<2_000 where Self.identify(headers)?.server == "WSTEDGE0619" { found += 1 }
        }
        #expect(found == 2_000)

        var msEdgeHeaders = headers
        msEdgeHeaders[9] = ("x-msedge-ref", "Ref A: 3F2C9A7B1E6D4A0F8C5B2E9D7A1F3C6B Ref B: AMSEDGE1018 Ref C: 2026")
        found = 0
        let regexElapsed = clock.measure {
            for _ in 0..<2_000 where Self.identify(msEdgeHeaders)?.server == "AMSEDGE1018" { found += 1 }
        }
        #expect(found == 2_000)
        let perCall = (azure: elapsed / 2_000, msEdge: regexElapsed / 2_000)
        print("edge identify, 10 headers, per call: old X-Azure-Ref \(perCall.azure), X-MSEdge-Ref \(perCall.msEdge)")
    }

    // MARK: Base64

    @Test("Base64 decoder agrees with Foundation, with and without padding, seeded")
    func base64AgreesWithFoundation() {
        var generator = SeededGenerator(seed: 99)
        for length in 0..<80 {
            let payload = Self.bytes(length, &generator)
            let padded = Data(payload).base64EncodedString()
            let unpadded = padded.filter { $0 != "=" }
            #expect(Base64Decoder.decode(padded.utf8) == payload, "length \(length)")
            #expect(Base64Decoder.decode(unpadded.utf8) == payload, "length \(length) unpadded")
        }
    }

    @Test(
        "Base64 decoder rejects malformed text",
        arguments: ["A", "AAAAA", "AA=A", "AAA==", "A===", "AA AA", "AA-_", "Zm9v\n"])
    func base64Malformed(text: String) {
        // Stricter than Foundation on Linux, which accepts "AA=A" and "AAA==".
        #expect(Base64Decoder.decode(text.utf8) == nil)
    }
}
