/// An IP prefix (a CIDR block) such as `203.0.113.0/24` or `2001:db8::/32`: a network address whose host bits
/// are all zero, and a length.
///
/// A value always holds a valid prefix: the length is in range for the family and no host bit is set. Text is
/// parsed strictly by ``init(parsing:)`` (the address as ``IPAddress`` parses it, one `/`, a decimal length
/// without leading zeros, no white space) and printed canonically by ``description``.
public struct IPPrefix: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The network address: the first address of the prefix, host bits zero.
    public let address: IPAddress
    /// The prefix length in bits: 0-32 for IPv4, 0-128 for IPv6.
    public let length: Int

    /// Makes the prefix `address/length`; nil when the length is out of range for the family or `address` has
    /// a host bit set.
    public init?(address: IPAddress, length: Int) {
        guard let prefix = IPPrefix(containing: address, length: length), prefix.address == address else {
            return nil
        }
        self = prefix
    }

    /// Makes the prefix of length `length` that contains `address`, clearing its host bits
    /// (`192.0.2.77`, 24 gives `192.0.2.0/24`); nil when the length is out of range for the family.
    package init?(containing address: IPAddress, length: Int) {
        guard length >= 0, length <= address.bitWidth else { return nil }
        self.address = IPPrefix.mask(address, length)
        self.length = length
    }

    /// Parses CIDR text such as `203.0.113.0/24` or `2001:db8::/32`.
    ///
    /// - Throws: ``ParseError`` whose ``ParseError/message`` says what is wrong and, for host bits, what the
    ///   prefix would be.
    public init(parsing text: String) throws(IPPrefix.ParseError) {
        let utf8 = text.utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")),
            let address = IPAddress(Substring(text[..<slash]))
        else { throw ParseError.malformed(text) }
        let lengthText = Substring(text[utf8.index(after: slash)...])
        let digits = lengthText.utf8
        guard !digits.isEmpty, digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }),
            digits.count == 1 || digits.first != UInt8(ascii: "0")
        else { throw ParseError.malformed(text) }
        var length = 0
        for digit in digits {
            length = length * 10 + Int(digit &- UInt8(ascii: "0"))
            if length > 128 { break }  // out of range whatever follows
        }
        guard let prefix = IPPrefix(containing: address, length: length) else {
            throw ParseError.lengthOutOfRange(length: String(lengthText), family: address.family)
        }
        guard prefix.address == address else { throw ParseError.hostBitsSet(text: text, prefix: prefix) }
        self = prefix
    }

    /// The address family: 4 or 6.
    package var family: Int { address.family }

    /// The last address of the prefix (all host bits set).
    package var lastAddress: IPAddress {
        switch address {
        case .v4(let value):
            return .v4(value | ~IPPrefix.mask32(length))
        case .v6(let high, let low):
            let (highMask, lowMask) = IPPrefix.mask128(length)
            return .v6(high | ~highMask, low | ~lowMask)
        }
    }

    /// Whether `address` lies in this prefix (never across families).
    public func contains(_ address: IPAddress) -> Bool {
        IPPrefix.mask(address, length) == self.address
    }

    /// Whether `other` lies wholly in this prefix (equal prefixes included).
    package func contains(_ other: IPPrefix) -> Bool {
        other.length >= length && contains(other.address)
    }

    /// Whether the two prefixes share any address, that is, one contains the other (equal prefixes included).
    package func overlaps(_ other: IPPrefix) -> Bool {
        other.length >= length ? contains(other.address) : other.contains(address)
    }

    /// Orders by network address (IPv4 first), then shorter prefixes first.
    public static func < (lhs: IPPrefix, rhs: IPPrefix) -> Bool {
        lhs.address != rhs.address ? lhs.address < rhs.address : lhs.length < rhs.length
    }

    /// The canonical text, `address/length`, with the address as ``IPAddress/description`` prints it.
    public var description: String { "\(address)/\(length)" }

    /// `address` with the bits past `length` cleared; `length` must be in range for the family.
    static func mask(_ address: IPAddress, _ length: Int) -> IPAddress {
        switch address {
        case .v4(let value):
            return .v4(value & mask32(length))
        case .v6(let high, let low):
            let (highMask, lowMask) = mask128(length)
            return .v6(high & highMask, low & lowMask)
        }
    }

    /// The IPv4 netmask of a length 0-32 (longer lengths give all ones).
    static func mask32(_ length: Int) -> UInt32 {
        length <= 0 ? 0 : UInt32.max << (32 - min(length, 32))
    }

    /// The IPv6 netmask of a length 0-128 as its high and low 64 bits.
    static func mask128(_ length: Int) -> (UInt64, UInt64) {
        let high: UInt64 = length <= 0 ? 0 : UInt64.max << (64 - min(length, 64))
        let low: UInt64 = length <= 64 ? 0 : UInt64.max << (128 - min(length, 128))
        return (high, low)
    }
}

// MARK: - Errors

extension IPPrefix {
    /// Why a text is not a prefix; ``message`` is written for the network engineer who typed it.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The text is not `address/length` at all; carries the whole text.
        case malformed(String)
        /// The length, as written after the slash, is too long for the family (4 or 6).
        case lengthOutOfRange(length: String, family: Int)
        /// The text names an address inside the prefix rather than the prefix itself; carries the whole text
        /// and the prefix it lies in.
        case hostBitsSet(text: String, prefix: IPPrefix)

        /// The message, for example `'203.0.113.5/24' has host bits set; the prefix is 203.0.113.0/24`.
        public var message: String {
            switch self {
            case .malformed(let text):
                "'\(text)' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"
            case .lengthOutOfRange(let length, let family):
                "prefix length /\(length) is out of range for IPv\(family) (0-\(family == 4 ? 32 : 128))"
            case .hostBitsSet(let text, let prefix):
                "'\(text)' has host bits set; the prefix is \(prefix)"
            }
        }

        /// The same as ``message``.
        public var description: String { message }
    }
}

// MARK: - Classification

/// Special-purpose ranges that cannot be registered for Peering Service, used by config validation.
///
/// Each helper answers whether the prefix *overlaps* the range, not only whether it lies inside it: a prefix
/// that merely covers special space (`96.0.0.0/4` covers `100.64.0.0/10`, `0.0.0.0/0` covers everything) is
/// just as unregistrable, so overlap is the safer test. A prefix of the other family never matches.
extension IPPrefix {
    /// Overlaps private space: RFC 1918 (`10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`) for IPv4, and the
    /// IPv6 equivalent, unique local addresses (`fc00::/7`, RFC 4193).
    package var isPrivate: Bool { overlapsAny(of: IPPrefix.privateRanges) }
    /// Overlaps loopback: `127.0.0.0/8` or `::1/128`.
    package var isLoopback: Bool { overlapsAny(of: IPPrefix.loopbackRanges) }
    /// Overlaps link-local space: `169.254.0.0/16` or `fe80::/10`.
    package var isLinkLocal: Bool { overlapsAny(of: IPPrefix.linkLocalRanges) }
    /// Overlaps the shared address space of carrier-grade NAT: `100.64.0.0/10` (RFC 6598; IPv4 only).
    package var isSharedAddressSpace: Bool { overlapsAny(of: IPPrefix.sharedRanges) }
    /// Overlaps multicast space: `224.0.0.0/4` or `ff00::/8`.
    package var isMulticast: Bool { overlapsAny(of: IPPrefix.multicastRanges) }
    /// Overlaps documentation space: `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24` (RFC 5737),
    /// `2001:db8::/32` (RFC 3849) or `3fff::/20` (RFC 9637).
    package var isDocumentation: Bool { overlapsAny(of: IPPrefix.documentationRanges) }

    private func overlapsAny(of ranges: [IPPrefix]) -> Bool {
        ranges.contains { $0.overlaps(self) }
    }

    fileprivate static func ranges(_ texts: String...) -> [IPPrefix] {
        texts.map { text in
            do throws(ParseError) { return try IPPrefix(parsing: text) } catch { preconditionFailure(error.message) }
        }
    }

    private static let privateRanges = ranges("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
    private static let loopbackRanges = ranges("127.0.0.0/8", "::1/128")
    private static let linkLocalRanges = ranges("169.254.0.0/16", "fe80::/10")
    private static let sharedRanges = ranges("100.64.0.0/10")
    private static let multicastRanges = ranges("224.0.0.0/4", "ff00::/8")
    private static let documentationRanges = ranges(
        "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20")
}

// MARK: - Registrability

extension IPPrefix {
    /// Why Microsoft would refuse this prefix for Peering Service, as the end of `prefix P is ...`; nil when it is
    /// public space.
    ///
    /// A prefix inside a special-purpose range is named after it (`a private (RFC 1918) range`); a prefix that
    /// covers one without lying inside it is `too broad` (`0.0.0.0/0`, `::/0`); an IPv4-mapped IPv6 prefix
    /// (`::ffff:0:0/96`) is refused with the IPv4 prefix to write instead, so that the one-prefix-one-provider
    /// check always compares IPv4 space as IPv4.
    package var registrationRefusal: String? {
        if let mapped = ipv4Equivalent {
            return "IPv4-mapped IPv6; write it as the IPv4 prefix \(mapped)"
        }
        for (range, name) in IPPrefix.specialRanges where range.contains(self) { return name }
        for (range, name) in IPPrefix.specialRanges where contains(range) {
            return "too broad: it covers \(range), \(name.hasPrefix("a ") ? String(name.dropFirst(2)) : name)"
        }
        return nil
    }

    /// The IPv4 prefix an IPv4-mapped IPv6 prefix (inside `::ffff:0:0/96`) stands for; nil for any other.
    package var ipv4Equivalent: IPPrefix? {
        guard case .v6(let high, let low) = address, high == 0, low >> 32 == 0xFFFF, length >= 96 else { return nil }
        return IPPrefix(address: .v4(UInt32(truncatingIfNeeded: low)), length: length - 96)
    }

    /// The special-purpose ranges Peering Service refuses, each with how a message names it, narrowest first
    /// where they nest.
    private static let specialRanges: [(IPPrefix, String)] = {
        let named: [(String, String)] = [
            ("0.0.0.0/8", "'this network' (0.0.0.0/8, RFC 1122)"),
            ("10.0.0.0/8", "a private (RFC 1918) range"),
            ("172.16.0.0/12", "a private (RFC 1918) range"),
            ("192.168.0.0/16", "a private (RFC 1918) range"),
            ("100.64.0.0/10", "shared address space (100.64.0.0/10)"),
            ("127.0.0.0/8", "a loopback range"),
            ("169.254.0.0/16", "a link-local range"),
            ("224.0.0.0/4", "a multicast range"),
            ("255.255.255.255/32", "the limited broadcast address"),
            ("240.0.0.0/4", "reserved space (240.0.0.0/4, RFC 1112)"),
            ("::/128", "the unspecified address"),
            ("::1/128", "a loopback range"),
            ("::ffff:0:0/96", "IPv4-mapped IPv6 (::ffff:0:0/96)"),
            ("fc00::/7", "a unique local (fc00::/7) range"),
            ("fe80::/10", "a link-local range"),
            ("ff00::/8", "a multicast range"),
        ]
        return named.map { text, name in (ranges(text)[0], name) }
    }()
}
