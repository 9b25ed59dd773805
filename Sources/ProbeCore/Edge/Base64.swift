/// A small decoder for standard base64 (RFC 4648 section 4: `A-Z a-z 0-9 + /`), written by hand so that ProbeCore
/// needs no Foundation. It serves the old `X-Azure-Ref` format (see ``EdgeRule/Kind/azureRefBase64``).
///
/// - Padding is optional: `TWFu`, `TWE` and `TWE=` all decode. When `=` is present it must be at the end, at most
///   two of them, and complete the text to a multiple of 4 characters.
/// - Anything else is malformed and gives nil: a character outside the alphabet (space, `-`, `_` included), `=` in
///   the middle, or a length that leaves a lone 6-bit group (4n + 1 characters).
/// - Bits left over in the last group are ignored, as most decoders do.
enum Base64Decoder {
    /// The bytes that `text` encodes, or nil when it is malformed.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var padding = 0
        var dataCount = text.count
        for byte in text.reversed() {
            guard byte == UInt8(ascii: "=") else { break }
            padding += 1
            dataCount -= 1
        }
        guard padding <= 2, dataCount % 4 != 1, padding == 0 || (dataCount + padding) % 4 == 0 else { return nil }

        var out: [UInt8] = []
        out.reserveCapacity(dataCount * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text.prefix(dataCount) {
            guard let sextet = value(of: byte) else { return nil }
            accumulator = (accumulator << 6) | UInt32(sextet)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }

    /// The 6-bit value of one base64 character, or nil outside the standard alphabet.
    @inline(__always)
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
