/// `"name":` of one schema field as two little-endian words with masks, so the fast path compares a key with
/// two loads instead of a byte loop. Patterns are 4 to 16 bytes; the masks keep a shorter pattern from
/// comparing the bytes that follow it.
struct KeyPattern {
    /// Bytes 0 to 7 of the pattern.
    var first: UInt64
    /// Which bytes of ``first`` belong to the pattern.
    var firstMask: UInt64
    /// Bytes 8 to 15 of the pattern.
    var second: UInt64
    /// Which bytes of ``second`` belong to the pattern.
    var secondMask: UInt64
    /// Pattern length in bytes.
    var length: Int

    /// The pattern of every schema field, by raw value.
    static let all: [KeyPattern] = SchemaField.allCases.map { field in
        let bytes = Array("\"\(field.name)\":".utf8)
        precondition(bytes.count <= 16)
        var words: [UInt64] = [0, 0]
        var masks: [UInt64] = [0, 0]
        for (index, byte) in bytes.enumerated() {
            words[index / 8] |= UInt64(byte) << UInt64(8 * (index % 8))
            masks[index / 8] |= 0xFF << UInt64(8 * (index % 8))
        }
        return KeyPattern(
            first: words[0], firstMask: masks[0], second: words[1], secondMask: masks[1], length: bytes.count)
    }

    /// Whether the sixteen bytes at `pointer` start with this pattern.
    @inline(__always)
    func matches(_ pointer: UnsafeRawPointer) -> Bool {
        pointer.loadUnaligned(as: UInt64.self) & firstMask == first
            && pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & secondMask == second
    }
}
