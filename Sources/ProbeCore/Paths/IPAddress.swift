/// An IPv4 or IPv6 address, held as integers with the first octet in the most significant bits.
///
/// An enum rather than a struct so that a `switch` says which family it handles and an address can never be
/// "half" one family. The two families never compare equal: the IPv4-mapped IPv6 address `::ffff:192.0.2.1` is
/// an IPv6 address, distinct from `192.0.2.1`; ``unmapped`` turns the first into the second where a caller
/// wants that (a dual-stack socket reports IPv4 peers that way).
///
/// Parsing (``init(_:)-(String)``) is strict and hand-written, and accepts what glibc's `inet_pton` accepts:
/// - IPv4: exactly four decimal parts `0`-`255` separated by dots. A part with a leading zero (`01.2.3.4`,
///   `10.0.0.010`) is rejected, because `inet_aton` and many tools read it as octal, so its meaning is
///   ambiguous. Shorthands such as `10.1` or `0x7f.1` are rejected too.
/// - IPv6: every RFC 4291 text form: eight groups of one to four hex digits in either case (`0001` is
///   allowed), at most one `::` standing for one or more zero groups (`::`, `::1`, `2001:db8::1`,
///   `1:2:3:4:5:6:7::`), and a dotted IPv4 address in the last 32 bits (`::ffff:192.0.2.1`,
///   `64:ff9b::198.51.100.7`). A zone index (`fe80::1%eth0`) is not part of an address and is rejected.
/// - No white space anywhere: trim before parsing.
///
/// ``description`` is the canonical text: dotted decimal for IPv4, RFC 5952 for IPv6 (lower case, no leading
/// zeros, the longest run of two or more zero groups compressed to `::`, the first such run on a tie, and
/// the IPv4-mapped range `::ffff:0:0/96` in mixed notation, `::ffff:192.0.2.1`, as RFC 5952 section 5
/// recommends and `inet_ntop` prints it).
public enum IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// An IPv4 address: `.v4(0xC000_0201)` is `192.0.2.1`.
    case v4(UInt32)
    /// An IPv6 address as its high and low 64 bits: `.v6(0x2001_0db8_0000_0000, 1)` is `2001:db8::1`.
    case v6(UInt64, UInt64)

    /// Parses an IPv4 or IPv6 address in the text forms described on ``IPAddress``; `nil` when `text` is not one.
    public init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ IPAddress.parse($0) }) else { return nil }
        self = parsed
    }

    /// Parses an IPv4 or IPv6 address from part of a larger string, as ``init(_:)-(String)`` does.
    package init?(_ text: Substring) {
        var text = text
        guard let parsed = text.withUTF8({ IPAddress.parse($0) }) else { return nil }
        self = parsed
    }

    /// The address family: 4 or 6.
    package var family: Int {
        switch self {
        case .v4: 4
        case .v6: 6
        }
    }

    /// The number of bits in an address of this family: 32 or 128.
    package var bitWidth: Int {
        switch self {
        case .v4: 32
        case .v6: 128
        }
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:192.0.2.1` gives `192.0.2.1`); any other
    /// address is returned as it is.
    package var unmapped: IPAddress {
        if case .v6(0, let low) = self, low >> 32 == 0xFFFF { return .v4(UInt32(truncatingIfNeeded: low)) }
        return self
    }

    /// Orders IPv4 before IPv6, then numerically within a family.
    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let left), .v4(let right)): left < right
        case (.v6(let leftHigh, let leftLow), .v6(let rightHigh, let rightLow)):
            leftHigh < rightHigh || (leftHigh == rightHigh && leftLow < rightLow)
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }

    /// The canonical text: dotted decimal for IPv4, RFC 5952 for IPv6 (see ``IPAddress``).
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(39)
        switch self {
        case .v4(let value):
            IPAddress.appendDotted(value, to: &bytes)
        case .v6(let high, let low):
            IPAddress.appendIPv6(high: high, low: low, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

// MARK: - Parsing

extension IPAddress {
    /// Parses UTF-8 bytes: IPv6 when there is a colon, else IPv4.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        if bytes.contains(UInt8(ascii: ":")) {
            guard let (high, low) = parseIPv6(bytes) else { return nil }
            return .v6(high, low)
        }
        guard let value = parseDotted(bytes, from: 0) else { return nil }
        return .v4(value)
    }

    /// Parses a dotted IPv4 address that runs from `start` to the end of `bytes`.
    static func parseDotted(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt32? {
        var value: UInt32 = 0
        var index = start
        for part in 0..<4 {
            if part > 0 {
                guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return nil }
                index += 1
            }
            let partStart = index
            var number: UInt32 = 0
            while index < bytes.count, index - partStart < 3 {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                number = number * 10 + UInt32(digit)
                index += 1
            }
            let digits = index - partStart
            guard digits > 0, number <= 255, digits == 1 || bytes[partStart] != UInt8(ascii: "0") else { return nil }
            value = value << 8 | number
        }
        return index == bytes.count ? value : nil
    }

    /// Parses an IPv6 address that fills `bytes`, returning its high and low 64 bits.
    static func parseIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        let colon = UInt8(ascii: ":")
        var groups = SIMD8<UInt16>()
        var count = 0
        var gap = -1  // the group index where `::` stands, if any
        var index = 0
        let end = bytes.count
        guard end >= 2 else { return nil }
        if bytes[0] == colon {
            guard bytes[1] == colon else { return nil }  // a lone leading colon
            gap = 0
            index = 2
            if index == end { return (0, 0) }
        }
        while true {
            let groupStart = index
            var value: UInt16 = 0
            while index < end, let digit = hexValue(bytes[index]) {
                guard index - groupStart < 4 else { return nil }
                value = value << 4 | digit
                index += 1
            }
            if index < end, bytes[index] == UInt8(ascii: ".") {
                // A dotted IPv4 address: the last 32 bits, running to the end.
                guard count <= 6, let embedded = parseDotted(bytes, from: groupStart) else { return nil }
                groups[count] = UInt16(truncatingIfNeeded: embedded >> 16)
                groups[count + 1] = UInt16(truncatingIfNeeded: embedded)
                count += 2
                break
            }
            guard index > groupStart, count < 8 else { return nil }  // an empty group, or a ninth one
            groups[count] = value
            count += 1
            if index == end { break }
            guard bytes[index] == colon, index + 1 < end else { return nil }  // a bad character or a trailing colon
            index += 1
            if bytes[index] == colon {
                guard gap < 0 else { return nil }  // a second `::`
                gap = count
                index += 1
                if index == end { break }
            }
        }
        if gap >= 0 {
            guard count < 8 else { return nil }  // `::` must stand for at least one group
            let moved = count - gap
            var expanded = SIMD8<UInt16>()
            for offset in 0..<gap { expanded[offset] = groups[offset] }
            for offset in 0..<moved { expanded[8 - moved + offset] = groups[gap + offset] }
            groups = expanded
        } else {
            guard count == 8 else { return nil }
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for offset in 0..<4 {
            high = high << 16 | UInt64(groups[offset])
            low = low << 16 | UInt64(groups[offset + 4])
        }
        return (high, low)
    }

    /// The value of a hex digit in either case, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt16? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt16(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt16(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt16(byte &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }
}

// MARK: - Printing

extension IPAddress {
    /// Appends `value` in dotted decimal.
    static func appendDotted(_ value: UInt32, to bytes: inout [UInt8]) {
        for part in 0..<4 {
            if part > 0 { bytes.append(UInt8(ascii: ".")) }
            let number = UInt8(truncatingIfNeeded: value >> (24 - 8 * part))
            if number >= 100 { bytes.append(48 + number / 100) }
            if number >= 10 { bytes.append(48 + number / 10 % 10) }
            bytes.append(48 + number % 10)
        }
    }

    /// Appends an IPv6 address in RFC 5952 form.
    static func appendIPv6(high: UInt64, low: UInt64, to bytes: inout [UInt8]) {
        if high == 0, low >> 32 == 0xFFFF {
            bytes.append(contentsOf: "::ffff:".utf8)
            appendDotted(UInt32(truncatingIfNeeded: low), to: &bytes)
            return
        }
        var groups = SIMD8<UInt16>()
        for offset in 0..<4 {
            groups[offset] = UInt16(truncatingIfNeeded: high >> (48 - 16 * offset))
            groups[offset + 4] = UInt16(truncatingIfNeeded: low >> (48 - 16 * offset))
        }
        // The first longest run of two or more zero groups.
        var bestStart = -1
        var bestLength = 1
        var runStart = 0
        var runLength = 0
        for offset in 0..<8 {
            if groups[offset] == 0 {
                if runLength == 0 { runStart = offset }
                runLength += 1
                if runLength > bestLength {
                    bestStart = runStart
                    bestLength = runLength
                }
            } else {
                runLength = 0
            }
        }
        let hex: StaticString = "0123456789abcdef"
        var offset = 0
        while offset < 8 {
            if offset == bestStart {
                bytes.append(UInt8(ascii: ":"))
                bytes.append(UInt8(ascii: ":"))
                offset += bestLength
                continue
            }
            if offset > 0, offset != bestStart + bestLength { bytes.append(UInt8(ascii: ":")) }
            let group = groups[offset]
            var shift = 12
            while shift > 0, group >> UInt16(shift) == 0 { shift -= 4 }
            while shift >= 0 {
                bytes.append(hex.utf8Start[Int(group >> UInt16(shift) & 0xF)])
                shift -= 4
            }
            offset += 1
        }
    }
}
