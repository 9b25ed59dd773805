import Glibc
import ProbeCore
import TestSupport
import Testing

/// Parses a prefix that the test knows to be valid.
private func prefix(_ text: String) -> IPPrefix {
    do throws(IPPrefix.ParseError) {
        return try IPPrefix(parsing: text)
    } catch {
        Issue.record("\(error.message)")
        return IPPrefix(containing: .v4(0), length: 0)!
    }
}

/// The address glibc's `inet_pton` reads from `text` (AF_INET6 when it has a colon, else AF_INET), or nil.
private func glibcParse(_ text: String) -> IPAddress? {
    var bytes = [UInt8](repeating: 0, count: 16)
    if text.utf8.contains(UInt8(ascii: ":")) {
        guard inet_pton(AF_INET6, text, &bytes) == 1 else { return nil }
        let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return .v6(high, low)
    }
    guard inet_pton(AF_INET, text, &bytes) == 1 else { return nil }
    return .v4(bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
}

/// glibc's `inet_ntop` text for an address.
private func glibcText(_ address: IPAddress) -> String {
    var bytes: [UInt8]
    var family: Int32
    switch address {
    case .v4(let value):
        bytes = (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
        family = AF_INET
    case .v6(let high, let low):
        bytes =
            (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        family = AF_INET6
    }
    var text = [CChar](repeating: 0, count: 64)
    guard inet_ntop(family, &bytes, &text, socklen_t(text.count)) != nil else { return "?" }
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Addresses, prefixes and the prefix table, grouped so that `swift test --filter PrefixTests` runs them all.
@Suite("Prefixes")
enum PrefixTests {}

// MARK: - Addresses

extension PrefixTests {
    @Suite("IP addresses")
    struct IPAddressTests {
        @Test(
            "Valid addresses parse to their value",
            arguments: [
                ("0.0.0.0", IPAddress.v4(0)),
                ("255.255.255.255", .v4(0xFFFF_FFFF)),
                ("192.0.2.1", .v4(0xC000_0201)),
                ("10.0.0.10", .v4(0x0A00_000A)),
                ("100.64.0.0", .v4(0x6440_0000)),
                ("::", .v6(0, 0)),
                ("::1", .v6(0, 1)),
                ("1::", .v6(0x0001_0000_0000_0000, 0)),
                ("2001:db8::1", .v6(0x2001_0DB8_0000_0000, 1)),
                ("2001:0DB8:0000:0000:0000:0000:0000:0001", .v6(0x2001_0DB8_0000_0000, 1)),
                ("2001:db8:0:0:1:0:0:1", .v6(0x2001_0DB8_0000_0000, 0x0001_0000_0000_0001)),
                ("1:2:3:4:5:6:7:8", .v6(0x0001_0002_0003_0004, 0x0005_0006_0007_0008)),
                ("1:2:3:4:5:6:7::", .v6(0x0001_0002_0003_0004, 0x0005_0006_0007_0000)),
                ("::2:3:4:5:6:7:8", .v6(0x0000_0002_0003_0004, 0x0005_0006_0007_0008)),
                ("1::8", .v6(0x0001_0000_0000_0000, 8)),
                ("fe80::", .v6(0xFE80_0000_0000_0000, 0)),
                ("FFFF:ffff:FfFf:ffff:ffff:ffff:ffff:ffff", .v6(.max, .max)),
                ("::ffff:192.0.2.1", .v6(0, 0xFFFF_C000_0201)),
                ("::1.2.3.4", .v6(0, 0x0102_0304)),
                ("64:ff9b::198.51.100.7", .v6(0x0064_FF9B_0000_0000, 0xC633_6407)),
                ("1:2:3:4:5:6:1.2.3.4", .v6(0x0001_0002_0003_0004, 0x0005_0006_0102_0304)),
                ("1::5:6:1.2.3.4", .v6(0x0001_0000_0000_0000, 0x0005_0006_0102_0304)),
            ])
        func valid(text: String, expected: IPAddress) {
            #expect(IPAddress(text) == expected)
            #expect(IPAddress(Substring("[\(text)]").dropFirst().dropLast()) == expected)
            #expect(glibcParse(text) == expected)
        }

        @Test(
            "Invalid addresses are rejected",
            arguments: [
                "", ".", "1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3.4", "256.0.0.1", "1.2.3.1000",
                "1.2.3.-4",
                "01.2.3.4", "1.2.3.04", "10.0.0.010", "00.0.0.0", "0x7f.0.0.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4/24",
                "１.2.3.4", "1.2.3.a",
                ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:",
                "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8",
                "12345::", "::12345", "g::", "::g", "fe80::1%eth0", "[::1]", " ::1", "::1 ", "::ffff:1.2.3",
                "::ffff:01.2.3.4", "::ffff:1.2.3.256", "1.2.3.4::", "::1.2.3.4:5", "::1.2.3.4.5",
                "1:2:3:4:5:6:7:1.2.3.4",
                "1:2:3:4:5:6::1.2.3.4", "::ffff:1a.2.3.4", "1:2:3:4:5:6:7:8%", "2001:db8::/32", "::-1",
            ])
        func invalid(text: String) {
            #expect(IPAddress(text) == nil)
            #expect(glibcParse(text) == nil)
        }

        @Test(
            "Canonical text: dotted IPv4, RFC 5952 IPv6",
            arguments: [
                ("10.0.0.1", "10.0.0.1"),
                ("255.255.255.255", "255.255.255.255"),
                ("0.0.0.0", "0.0.0.0"),
                ("2001:DB8::1", "2001:db8::1"),
                ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
                ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // the first of two equal runs
                ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),  // the longest run
                ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // one zero group is not compressed
                ("2001:db8::0001:0:1", "2001:db8::1:0:1"),
                ("0:0:0:0:0:0:0:0", "::"),
                ("0:0:0:0:0:0:0:1", "::1"),
                ("1:0:0:0:0:0:0:0", "1::"),
                ("1:0:0:0:0:0:0:1", "1::1"),
                ("0:1:0:1:0:1:0:1", "0:1:0:1:0:1:0:1"),
                ("fe80:0000::0001", "fe80::1"),
                ("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"),
                ("::ffff:c000:0201", "::ffff:192.0.2.1"),
                ("::ffff:0.0.0.0", "::ffff:0.0.0.0"),
                ("::1.2.3.4", "::102:304"),
                ("64:ff9b::198.51.100.7", "64:ff9b::c633:6407"),
                ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:0", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0"),
                ("0:2001:db8:aaaa:bbbb:cccc:dddd:eeee", "0:2001:db8:aaaa:bbbb:cccc:dddd:eeee"),
            ])
        func canonical(text: String, expected: String) throws {
            let address = try #require(IPAddress(text))
            #expect(address.description == expected)
            #expect(IPAddress(expected) == address)
        }

        @Test("Family, width, unmapping and order")
        func properties() throws {
            let v4 = try #require(IPAddress("192.0.2.1"))
            let mapped = try #require(IPAddress("::ffff:192.0.2.1"))
            let v6 = try #require(IPAddress("2001:db8::1"))
            #expect(v4.family == 4 && v4.bitWidth == 32)
            #expect(v6.family == 6 && v6.bitWidth == 128)
            #expect(mapped != v4)
            #expect(mapped.unmapped == v4)
            #expect(v4.unmapped == v4)
            #expect(v6.unmapped == v6)
            #expect(IPAddress("::fffe:192.0.2.1")?.unmapped == IPAddress("::fffe:192.0.2.1"))
            #expect(
                [v6, mapped, IPAddress("10.0.0.1")!, v4, IPAddress("::")!].sorted().map(\.description)
                    == ["10.0.0.1", "192.0.2.1", "::", "::ffff:192.0.2.1", "2001:db8::1"])
            #expect(IPAddress("2001:db8::1")! < IPAddress("2001:db8::1:0:0:0")!)
        }

        @Test("Parsing agrees with glibc's inet_pton on seeded random text")
        func agreesWithInetPton() {
            var random = SeededGenerator(seed: 4_291)
            let tokens = [
                "0", "1", "00", "01", "9", "10", "99", "255", "256", "a", "ff", "FFFF", "0db8", "12345", "g",
                ":", ":", ":",
                "::", "::", ".", ".", "1.2.3.4", "192.0.2.1", "ffff", "2001", "%", " ", "/", "-",
            ]
            var accepted = 0
            for _ in 0..<100_000 {
                var text = ""
                for _ in 0..<Int.random(in: 1...12, using: &random) { text += tokens.randomElement(using: &random)! }
                let ours = IPAddress(text)
                #expect(ours == glibcParse(text), "\(text)")
                if ours != nil { accepted += 1 }
            }
            #expect(accepted > 1_000)  // the fuzzing reaches valid forms, not only garbage
        }

        @Test("Printing agrees with glibc's inet_ntop and round-trips, on seeded random addresses")
        func agreesWithInetNtop() {
            var random = SeededGenerator(seed: 5_952)
            for _ in 0..<50_000 {
                let address: IPAddress
                if random.next() % 4 == 0 {
                    address = .v4(UInt32(truncatingIfNeeded: random.next()))
                } else {
                    // Groups that are often zero, so runs of every length and position show up.
                    var words: [UInt64] = []
                    for _ in 0..<8 {
                        let roll = random.next() % 8
                        words.append(roll < 4 ? 0 : roll < 6 ? random.next() & 0xF : random.next() & 0xFFFF)
                    }
                    let high = words[0..<4].reduce(UInt64(0)) { $0 << 16 | $1 }
                    let low = words[4..<8].reduce(UInt64(0)) { $0 << 16 | $1 }
                    address = .v6(high, low)
                }
                #expect(IPAddress(address.description) == address, "\(address)")
                // glibc prints the deprecated IPv4-compatible range ::/96 in mixed notation; RFC 5952 does not.
                if case .v6(0, let low) = address, low >> 32 == 0 { continue }
                #expect(address.description == glibcText(address))
            }
        }
    }

}

// MARK: - Prefixes

extension PrefixTests {
    @Suite("IP prefixes")
    struct IPPrefixTests {
        @Test(
            "Valid prefixes parse and print canonically",
            arguments: [
                ("203.0.113.0/24", "203.0.113.0/24", 4, 24),
                ("0.0.0.0/0", "0.0.0.0/0", 4, 0),
                ("192.0.2.1/32", "192.0.2.1/32", 4, 32),
                ("10.0.0.0/8", "10.0.0.0/8", 4, 8),
                ("2001:DB8::/32", "2001:db8::/32", 6, 32),
                ("2001:0db8:0000:0000::/64", "2001:db8::/64", 6, 64),
                ("::/0", "::/0", 6, 0),
                ("::1/128", "::1/128", 6, 128),
                ("2001:db8::8000:0:0:0/65", "2001:db8:0:0:8000::/65", 6, 65),
                ("::ffff:192.0.2.0/120", "::ffff:192.0.2.0/120", 6, 120),
            ])
        func valid(text: String, canonical: String, family: Int, length: Int) throws {
            let parsed = try IPPrefix(parsing: text)
            #expect(parsed.description == canonical)
            #expect(parsed.family == family)
            #expect(parsed.length == length)
            #expect(try IPPrefix(parsing: canonical) == parsed)
        }

        @Test(
            "Errors say what is wrong, exactly",
            arguments: [
                ("203.0.113.0", "'203.0.113.0' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("", "'' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("203.0.113.0/", "'203.0.113.0/' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("/24", "'/24' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("203.0.113/24", "'203.0.113/24' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("203.0.113.0/24/1", "'203.0.113.0/24/1' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("203.0.113.0/024", "'203.0.113.0/024' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("203.0.113.0/+24", "'203.0.113.0/+24' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("203.0.113.0/-1", "'203.0.113.0/-1' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("203.0.113.0 /24", "'203.0.113.0 /24' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("203.0.113.0/24 ", "'203.0.113.0/24 ' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("010.0.0.0/8", "'010.0.0.0/8' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("2001:db8::/x", "'2001:db8::/x' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("2001:db8:::/32", "'2001:db8:::/32' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("fe80::%eth0/64", "'fe80::%eth0/64' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
                ("203.0.113.0/33", "prefix length /33 is out of range for IPv4 (0-32)"),
                ("203.0.113.0/128", "prefix length /128 is out of range for IPv4 (0-32)"),
                (
                    "10.0.0.0/99999999999999999999",
                    "prefix length /99999999999999999999 is out of range for IPv4 (0-32)"
                ),
                ("2001:db8::/129", "prefix length /129 is out of range for IPv6 (0-128)"),
                ("2001:db8::/1000", "prefix length /1000 is out of range for IPv6 (0-128)"),
                ("203.0.113.5/24", "'203.0.113.5/24' has host bits set; the prefix is 203.0.113.0/24"),
                ("10.1.2.3/8", "'10.1.2.3/8' has host bits set; the prefix is 10.0.0.0/8"),
                ("255.255.255.255/0", "'255.255.255.255/0' has host bits set; the prefix is 0.0.0.0/0"),
                ("2001:db8::1/32", "'2001:db8::1/32' has host bits set; the prefix is 2001:db8::/32"),
                ("2001:DB8::4000:0:0:0/65", "'2001:DB8::4000:0:0:0/65' has host bits set; the prefix is 2001:db8::/65"),
                (
                    "::ffff:192.0.2.1/120",
                    "'::ffff:192.0.2.1/120' has host bits set; the prefix is ::ffff:192.0.2.0/120"
                ),
            ])
        func errors(text: String, message: String) {
            do throws(IPPrefix.ParseError) {
                let parsed = try IPPrefix(parsing: text)
                Issue.record("parsed '\(text)' as \(parsed)")
            } catch {
                #expect(error.message == message)
                #expect(error.description == message)
            }
        }

        @Test("Error cases carry what the config layer needs")
        func errorCases() {
            #expect(throws: IPPrefix.ParseError.lengthOutOfRange(length: "33", family: 4)) {
                try IPPrefix(parsing: "203.0.113.0/33")
            }
            #expect(throws: IPPrefix.ParseError.hostBitsSet(text: "203.0.113.5/24", prefix: prefix("203.0.113.0/24"))) {
                try IPPrefix(parsing: "203.0.113.5/24")
            }
            #expect(throws: IPPrefix.ParseError.malformed("x")) { try IPPrefix(parsing: "x") }
        }

        @Test("Making prefixes from an address and a length")
        func initializers() {
            let host = IPAddress("192.0.2.77")!
            #expect(IPPrefix(address: host, length: 24) == nil)
            #expect(IPPrefix(address: host, length: 32)?.description == "192.0.2.77/32")
            #expect(IPPrefix(address: host, length: 33) == nil)
            #expect(IPPrefix(address: host, length: -1) == nil)
            #expect(IPPrefix(containing: host, length: 24)?.description == "192.0.2.0/24")
            #expect(IPPrefix(containing: host, length: 0)?.description == "0.0.0.0/0")
            #expect(IPPrefix(containing: host, length: 33) == nil)
            let v6 = IPAddress("2001:db8:1:2:3:4:5:6")!
            #expect(IPPrefix(containing: v6, length: 64)?.description == "2001:db8:1:2::/64")
            #expect(IPPrefix(containing: v6, length: 80)?.description == "2001:db8:1:2:3::/80")
            #expect(IPPrefix(containing: v6, length: 128)?.address == v6)
            #expect(IPPrefix(containing: v6, length: 129) == nil)
            #expect(prefix("203.0.113.0/24").lastAddress == IPAddress("203.0.113.255"))
            #expect(prefix("0.0.0.0/0").lastAddress == IPAddress("255.255.255.255"))
            #expect(prefix("2001:db8::/33").lastAddress == IPAddress("2001:db8:7fff:ffff:ffff:ffff:ffff:ffff"))
            #expect(prefix("2001:db8::/96").lastAddress == IPAddress("2001:db8::ffff:ffff"))
            #expect(prefix("::1/128").lastAddress == IPAddress("::1"))
        }

        @Test(
            "Contains an address",
            arguments: [
                ("203.0.113.0/24", "203.0.113.0", true),
                ("203.0.113.0/24", "203.0.113.255", true),
                ("203.0.113.0/24", "203.0.114.0", false),
                ("203.0.113.0/24", "203.0.112.255", false),
                ("0.0.0.0/0", "255.255.255.255", true),
                ("0.0.0.0/0", "::", false),
                ("192.0.2.1/32", "192.0.2.1", true),
                ("192.0.2.1/32", "192.0.2.2", false),
                ("2001:db8::/32", "2001:db8:ffff::1", true),
                ("2001:db8::/32", "2001:db9::", false),
                ("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff", true),
                ("2001:db8::/65", "2001:db8::8000:0:0:0", false),
                ("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true),
                ("::/0", "0.0.0.0", false),
                ("::1/128", "::1", true),
                ("::1/128", "::", false),
                ("::ffff:192.0.2.0/120", "192.0.2.1", false),
                ("::ffff:192.0.2.0/120", "::ffff:192.0.2.1", true),
            ])
        func containsAddress(prefixText: String, addressText: String, expected: Bool) throws {
            let address = try #require(IPAddress(addressText))
            #expect(prefix(prefixText).contains(address) == expected)
        }

        @Test(
            "Contains and overlaps another prefix",
            arguments: [
                ("10.0.0.0/8", "10.1.0.0/16", true, false, true),
                ("10.0.0.0/8", "10.0.0.0/8", true, true, true),
                ("10.0.0.0/8", "11.0.0.0/8", false, false, false),
                ("10.0.0.0/9", "10.128.0.0/9", false, false, false),
                ("0.0.0.0/0", "203.0.113.7/32", true, false, true),
                ("0.0.0.0/0", "::/0", false, false, false),
                ("2001:db8::/32", "2001:db8:8000::/33", true, false, true),
                ("2001:db8::/64", "2001:db8::1/128", true, false, true),
                ("2001:db8::/64", "2001:db8:0:1::/64", false, false, false),
                ("::/0", "::/0", true, true, true),
            ])
        func containsAndOverlaps(wider: String, narrower: String, contains: Bool, reverse: Bool, overlaps: Bool) {
            let (a, b) = (prefix(wider), prefix(narrower))
            #expect(a.contains(b) == contains)
            #expect(b.contains(a) == reverse)
            #expect(a.overlaps(b) == overlaps)
            #expect(b.overlaps(a) == overlaps)
        }

        /// The classification helpers, as flags.
        enum Kind: CaseIterable {
            case privateSpace, loopback, linkLocal, shared, multicast, documentation
        }

        @Test(
            "Classification: a prefix counts when it overlaps the range",
            arguments: [
                ("10.0.0.0/8", [Kind.privateSpace]),
                ("10.20.0.0/16", [.privateSpace]),
                ("172.16.0.0/12", [.privateSpace]),
                ("172.31.255.0/24", [.privateSpace]),
                ("172.32.0.0/16", []),
                ("172.15.0.0/16", []),
                ("192.168.1.0/24", [.privateSpace]),
                ("192.169.0.0/16", []),
                ("fc00::/7", [.privateSpace]),
                ("fd12:3456:789a::/48", [.privateSpace]),
                ("fe00::/9", []),
                ("127.0.0.0/8", [.loopback]),
                ("127.0.0.1/32", [.loopback]),
                ("126.0.0.0/7", [.loopback]),
                ("128.0.0.0/8", []),
                ("::1/128", [.loopback]),
                ("::/127", [.loopback]),
                ("::2/127", []),
                ("169.254.0.0/16", [.linkLocal]),
                ("169.254.10.0/24", [.linkLocal]),
                ("169.255.0.0/16", []),
                ("fe80::/10", [.linkLocal]),
                ("fe80::/64", [.linkLocal]),
                ("febf:ffff::/32", [.linkLocal]),
                ("fec0::/10", []),
                ("100.64.0.0/10", [.shared]),
                ("100.127.255.0/24", [.shared]),
                ("100.128.0.0/16", []),
                ("100.63.0.0/16", []),
                ("96.0.0.0/4", [.shared]),
                ("224.0.0.0/4", [.multicast]),
                ("239.255.0.0/16", [.multicast]),
                ("240.0.0.0/4", []),
                ("ff00::/8", [.multicast]),
                ("ff02::1/128", [.multicast]),
                ("192.0.2.0/24", [.documentation]),
                ("198.51.100.128/25", [.documentation]),
                ("203.0.113.0/24", [.documentation]),
                ("203.0.112.0/23", [.documentation]),
                ("203.0.114.0/24", []),
                ("192.0.0.0/16", [.documentation]),
                ("2001:db8::/32", [.documentation]),
                ("2001:db8:1::/48", [.documentation]),
                ("2001:db8::/31", [.documentation]),
                ("2001:dba::/32", []),
                ("3fff::/20", [.documentation]),
                ("3fff:100::/24", [.documentation]),
                ("3fff:1000::/20", []),
                ("20.0.0.0/8", []),
                ("13.107.0.0/16", []),
                ("2603:1000::/24", []),
                ("::ffff:10.0.0.0/104", []),
                ("0.0.0.0/0", Kind.allCases),
                ("::/0", [.privateSpace, .loopback, .linkLocal, .multicast, .documentation]),
            ])
        func classification(text: String, kinds: [Kind]) {
            let parsed = prefix(text)
            #expect(parsed.isPrivate == kinds.contains(.privateSpace))
            #expect(parsed.isLoopback == kinds.contains(.loopback))
            #expect(parsed.isLinkLocal == kinds.contains(.linkLocal))
            #expect(parsed.isSharedAddressSpace == kinds.contains(.shared))
            #expect(parsed.isMulticast == kinds.contains(.multicast))
            #expect(parsed.isDocumentation == kinds.contains(.documentation))
        }

        @Test("Order: by address, IPv4 first, shorter first")
        func order() {
            let sorted = ["2001:db8::/32", "10.0.0.0/16", "10.0.0.0/8", "::/0", "9.0.0.0/8"].map(prefix).sorted()
            #expect(sorted.map(\.description) == ["9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "::/0", "2001:db8::/32"])
        }
    }

}

// MARK: - Table

/// Random prefixes that nest a lot: lengths all over the range, around a few anchor addresses per family.
private struct PrefixFixture {
    var prefixes: [IPPrefix] = []
    var addresses: [IPAddress] = []

    init(
        seed: UInt64, prefixes count: Int, addresses addressCount: Int, within region: IPPrefix? = nil,
        shortest: Int = 0
    ) {
        var random = SeededGenerator(seed: seed)
        /// A random address, inside `region` when there is one.
        func anywhere(ipv6: Bool) -> IPAddress {
            let address: IPAddress =
                ipv6
                ? .v6(random.next(), random.next()) : .v4(UInt32(truncatingIfNeeded: random.next()))
            guard let region, region.family == address.family else { return address }
            return Self.place(address, in: region)
        }
        let regionFamily = region?.family
        let v4Anchors = (0..<40).map { _ in anywhere(ipv6: false) } + [.v4(0), .v4(.max)]
        let v6Anchors = (0..<20).map { _ in anywhere(ipv6: true) } + [.v6(0, 0), .v6(.max, .max)]
        for _ in 0..<count {
            let ipv6 = regionFamily.map { $0 == 6 } ?? (random.next() % 3 == 0)
            let anchor = (ipv6 ? v6Anchors : v4Anchors).randomElement(using: &random)!
            let width = anchor.bitWidth
            let minimum = region.map { $0.family == anchor.family ? $0.length : 0 } ?? shortest
            let length: Int
            switch random.next() % 8 {
            case 0: length = [minimum, width, width - 1, minimum + 1].randomElement(using: &random)!
            case 1...3: length = Int.random(in: minimum...width, using: &random)
            default: length = Int.random(in: max(minimum, width / 4)...width, using: &random)
            }
            // Flip a few random bits below the length, or none, so siblings and duplicates both occur.
            let bits = random.next() % 2 == 0 ? 0 : Int.random(in: 0...width, using: &random)
            let address = Self.flip(anchor, lowBits: bits, random: &random)
            prefixes.append(IPPrefix(containing: address, length: min(length, width))!)
        }
        // A few exact duplicates.
        for _ in 0..<(count / 50) { prefixes.append(prefixes.randomElement(using: &random)!) }
        prefixes.shuffle(using: &random)
        for index in 0..<addressCount {
            switch index % 4 {
            case 0:
                let anchor = (random.next() % 3 == 0 ? v6Anchors : v4Anchors).randomElement(using: &random)!
                addresses.append(
                    Self.flip(
                        anchor, lowBits: Int.random(in: 0...anchor.bitWidth, using: &random),
                        random: &random))
            case 1 where !prefixes.isEmpty:
                // The edges of a prefix: first, last, and one beyond each.
                let chosen = prefixes.randomElement(using: &random)!
                let edge = [chosen.address, chosen.lastAddress].randomElement(using: &random)!
                addresses.append(Self.step(edge, by: Int.random(in: -1...1, using: &random)))
            default:
                addresses.append(anywhere(ipv6: random.next() % 3 == 0))
            }
        }
    }

    /// `address` with random values in its low `lowBits` bits.
    static func flip(_ address: IPAddress, lowBits: Int, random: inout SeededGenerator) -> IPAddress {
        switch address {
        case .v4(let value):
            let mask: UInt32 = lowBits >= 32 ? .max : (1 << UInt32(lowBits)) - 1
            return .v4(value ^ UInt32(truncatingIfNeeded: random.next()) & mask)
        case .v6(let high, let low):
            let lowMask: UInt64 = lowBits >= 64 ? .max : (1 << UInt64(lowBits)) - 1
            let highMask: UInt64 = lowBits <= 64 ? 0 : lowBits >= 128 ? .max : (1 << UInt64(lowBits - 64)) - 1
            return .v6(high ^ random.next() & highMask, low ^ random.next() & lowMask)
        }
    }

    /// `address` plus `delta` (-1, 0 or 1), wrapping.
    static func step(_ address: IPAddress, by delta: Int) -> IPAddress {
        switch address {
        case .v4(let value):
            return .v4(value &+ UInt32(bitPattern: Int32(delta)))
        case .v6(let high, let low):
            if delta > 0 { return .v6(low == .max ? high &+ 1 : high, low &+ 1) }
            if delta < 0 { return .v6(low == 0 ? high &- 1 : high, low &- 1) }
            return address
        }
    }

    /// `address` moved into `region`: its leading bits replaced by the region's.
    static func place(_ address: IPAddress, in region: IPPrefix) -> IPAddress {
        switch (address, region.address, region.lastAddress) {
        case (.v4(let value), .v4(let first), .v4(let last)):
            return .v4(first | value & (first ^ last))
        case (.v6(let high, let low), .v6(let firstHigh, let firstLow), .v6(let lastHigh, let lastLow)):
            return .v6(firstHigh | high & (firstHigh ^ lastHigh), firstLow | low & (firstLow ^ lastLow))
        default:
            return address
        }
    }
}

/// The longest prefix containing an address by a linear scan over first and last addresses (not
/// ``IPPrefix/contains(_:)-(IPAddress)``, so the two are checked against each other too); the first of equal
/// prefixes wins.
private struct LinearScan {
    let ranges: [(first: IPAddress, last: IPAddress, length: Int)]

    init(_ prefixes: [IPPrefix]) {
        ranges = prefixes.map { ($0.address, $0.lastAddress, $0.length) }
    }

    func match(_ address: IPAddress) -> Int? {
        var best: Int?
        var bestLength = -1
        for index in ranges.indices {
            let range = ranges[index]
            if range.length > bestLength, range.first.family == address.family, range.first <= address,
                address <= range.last
            {
                best = index
                bestLength = range.length
            }
        }
        return best
    }
}

extension PrefixTests {
    @Suite("Prefix table")
    struct PrefixTableTests {
        @Test("Empty table matches nothing")
        func empty() {
            let table = PrefixTable<Int>([])
            #expect(table.isEmpty && table.count == 0)
            for text in ["0.0.0.0", "255.255.255.255", "10.0.0.1", "::", "::1", "2001:db8::1"] {
                #expect(table.longestMatch(IPAddress(text)!) == nil)
            }
            #expect(table.overlappingPairs().isEmpty)
        }

        @Test("Edges: /0, /32, /128, nesting, the two families apart")
        func edges() {
            let texts = [
                "0.0.0.0/0", "0.0.0.0/32", "255.255.255.255/32", "10.0.0.0/8", "10.1.0.0/16", "10.1.1.0/24",
                "10.1.1.1/32",
                "::/0", "::/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "2001:db8::/32", "2001:db8::/64",
                "2001:db8::1/128", "2001:db8:0:0:8000::/65",
            ]
            let table = PrefixTable(texts.map { (prefix($0), $0) })
            let expectations = [
                ("0.0.0.0", "0.0.0.0/32"), ("0.0.0.1", "0.0.0.0/0"), ("255.255.255.255", "255.255.255.255/32"),
                ("255.255.255.254", "0.0.0.0/0"), ("10.0.0.0", "10.0.0.0/8"), ("9.255.255.255", "0.0.0.0/0"),
                ("11.0.0.0", "0.0.0.0/0"), ("10.1.0.0", "10.1.0.0/16"), ("10.1.1.0", "10.1.1.0/24"),
                ("10.1.1.1", "10.1.1.1/32"), ("10.1.1.2", "10.1.1.0/24"), ("10.1.2.0", "10.1.0.0/16"),
                ("10.2.0.0", "10.0.0.0/8"), ("10.255.255.255", "10.0.0.0/8"),
                ("::", "::/128"), ("::1", "::/0"),
                ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"),
                ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "::/0"), ("2001:db8::1", "2001:db8::1/128"),
                ("2001:db8::2", "2001:db8::/64"), ("2001:db8::8000:0:0:0", "2001:db8:0:0:8000::/65"),
                ("2001:db8::ffff:ffff:ffff:ffff", "2001:db8:0:0:8000::/65"), ("2001:db8:0:1::", "2001:db8::/32"),
                ("2001:db9::", "::/0"), ("::ffff:10.1.1.1", "::/0"),
            ]
            for (address, expected) in expectations {
                #expect(table.longestMatch(IPAddress(address)!)?.value == expected, "\(address)")
                #expect(table.longestMatch(IPAddress(address)!)?.prefix == prefix(expected), "\(address)")
            }
            let onlyV4 = PrefixTable([(prefix("0.0.0.0/0"), 1)])
            #expect(onlyV4.longestMatch(IPAddress("203.0.113.1")!)?.value == 1)
            #expect(onlyV4.longestMatch(IPAddress("::")!) == nil)
            let onlyV6 = PrefixTable([(prefix("::/0"), 1)])
            #expect(onlyV6.longestMatch(IPAddress("2001:db8::")!)?.value == 1)
            #expect(onlyV6.longestMatch(IPAddress("0.0.0.0")!) == nil)
            let hosts = PrefixTable([(prefix("255.255.255.255/32"), 1), (prefix("::/128"), 2)])
            #expect(hosts.longestMatch(.v4(.max))?.value == 1)
            #expect(hosts.longestMatch(.v4(.max - 1)) == nil)
            #expect(hosts.longestMatch(.v6(0, 0))?.value == 2)
            #expect(hosts.longestMatch(.v6(0, 1)) == nil)
        }

        @Test("Equal prefixes: the first wins, and the pair is reported")
        func duplicates() {
            let table = PrefixTable([
                (prefix("203.0.113.0/24"), "isp-a"), (prefix("10.0.0.0/8"), "isp-c"),
                (prefix("203.0.113.0/24"), "isp-b"),
            ])
            #expect(table.longestMatch(IPAddress("203.0.113.9")!)?.value == "isp-a")
            let pairs = table.overlappingPairs()
            #expect(pairs.count == 1)
            #expect(pairs.first?.outerValue == "isp-a" && pairs.first?.innerValue == "isp-b")
            #expect(pairs.first?.outer == prefix("203.0.113.0/24") && pairs.first?.inner == prefix("203.0.113.0/24"))
        }

        @Test("Overlapping pairs: outer contains inner, in inner order, widest outer first")
        func overlaps() {
            let table = PrefixTable([
                (prefix("2001:db8:1::/48"), 0), (prefix("10.1.0.0/16"), 1), (prefix("10.0.0.0/8"), 2),
                (prefix("192.0.2.0/24"), 3), (prefix("2001:db8::/32"), 4), (prefix("10.1.2.0/24"), 5),
                (prefix("10.2.0.0/16"), 6), (prefix("2001:db8:2::/48"), 7),
            ])
            let pairs = table.overlappingPairs().map { [$0.outerValue, $0.innerValue] }
            #expect(pairs == [[2, 1], [2, 5], [1, 5], [2, 6], [4, 0], [4, 7]])
        }

        @Test("Longest match equals a linear scan: 2,000 random prefixes, 20,000 addresses", arguments: [1, 2, 3])
        func randomAgainstLinearScan(seed: UInt64) {
            // No prefix shorter than /8 here, so that many addresses match nothing; /0 is in the other tests.
            let fixture = PrefixFixture(seed: seed, prefixes: 2_000, addresses: 20_000, shortest: 8)
            #expect(fixture.prefixes.contains { $0.family == 4 } && fixture.prefixes.contains { $0.family == 6 })
            let table = PrefixTable(fixture.prefixes.enumerated().map { ($1, $0) })
            let scan = LinearScan(fixture.prefixes)
            var matched = 0
            var failures = 0
            for address in fixture.addresses {
                let expected = scan.match(address)
                let found = table.longestMatch(address)
                if found?.value != expected || found?.prefix != expected.map({ fixture.prefixes[$0] }) {
                    failures += 1
                    if failures <= 5 {
                        let want = String(describing: expected)
                        Issue.record("\(address): found \(String(describing: found)), want entry \(want)")
                    }
                }
                if expected != nil { matched += 1 }
            }
            #expect(failures == 0)
            #expect(matched > 2_000 && matched < 19_000)  // both outcomes are exercised
        }

        @Test(
            "Longest match in small tables and narrow regions",
            arguments: [
                (11, 1, nil), (12, 2, nil), (13, 3, nil), (14, 5, nil), (15, 17, nil), (16, 100, nil),
                (21, 1, "10.0.0.0/8"), (22, 2, "10.20.30.0/24"), (23, 300, "10.20.30.0/24"),
                (24, 300, "198.51.100.0/30"),
                (25, 1, "2001:db8::/32"), (26, 300, "2001:db8::/120"), (27, 300, "2001:db8::/64"), (28, 50, "::/126"),
            ] as [(UInt64, Int, String?)])
        func smallTables(seed: UInt64, count: Int, region: String?) {
            let fixture = PrefixFixture(seed: seed, prefixes: count, addresses: 4_000, within: region.map(prefix))
            let table = PrefixTable(fixture.prefixes.enumerated().map { ($1, $0) })
            let scan = LinearScan(fixture.prefixes)
            var failures = 0
            for address in fixture.addresses where table.longestMatch(address)?.value != scan.match(address) {
                failures += 1
                if failures <= 5 { Issue.record("\(address): \(String(describing: table.longestMatch(address)))") }
            }
            #expect(failures == 0)
        }

        @Test("Overlapping pairs equal a quadratic scan over random prefixes", arguments: [4, 5])
        func randomOverlaps(seed: UInt64) {
            let fixture = PrefixFixture(seed: seed, prefixes: 1_500, addresses: 0)
            let prefixes = fixture.prefixes
            let table = PrefixTable(prefixes.enumerated().map { ($1, $0) })
            struct Pair: Hashable { var outer: Int, inner: Int }
            var expected = Set<Pair>()
            for first in prefixes.indices {
                for second in prefixes.indices where first < second && prefixes[first].overlaps(prefixes[second]) {
                    let firstIsOuter = prefixes[first].length <= prefixes[second].length
                    expected.insert(
                        firstIsOuter ? Pair(outer: first, inner: second) : Pair(outer: second, inner: first))
                }
            }
            let pairs = table.overlappingPairs()
            #expect(pairs.count == expected.count)
            #expect(Set(pairs.map { Pair(outer: $0.outerValue, inner: $0.innerValue) }) == expected)
            #expect(pairs.allSatisfy { $0.outer.contains($0.inner) && $0.outer == prefixes[$0.outerValue] })
            #expect(!expected.isEmpty)
        }
    }
}
