/// A hash table from byte strings to dense ids 0, 1, 2, ..., for the scanner's per-line look-ups of raw key
/// bytes: no allocation per look-up (the key is hashed and compared in place), keys kept in one arena.
package struct ByteKeyTable: Sendable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var arena: [UInt8] = []
    private var mask: Int

    /// Number of distinct keys.
    package var count: Int { hashes.count }

    /// Makes an empty table.
    package init() {
        slots = Array(repeating: -1, count: 64)
        mask = 63
    }

    /// The id of `key`, inserting it with the next id when new; `inserted` says which.
    package mutating func id(of key: UnsafeRawBufferPointer) -> (id: Int, inserted: Bool) {
        id(hash: Self.hash(key), equals: { Self.equal($0, key) }, makeKey: { Array(key) })
    }

    /// The id of the key whose hash is `hash` and for whose stored bytes `equals` is true; when there is
    /// none, inserts `makeKey()` (which must hash to `hash`) with the next id. For callers that can hash and
    /// compare a key spread over several places without first copying it into one buffer.
    @inline(__always)
    package mutating func id(
        hash: UInt64, equals: (UnsafeRawBufferPointer) -> Bool, makeKey: () -> [UInt8]
    ) -> (id: Int, inserted: Bool) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash {
                let start = starts[entry]
                let end = entry + 1 < starts.count ? starts[entry + 1] : arena.count
                let same = arena.withUnsafeBytes { equals(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                if same { return (entry, false) }
            }
            slot = (slot + 1) & mask
        }
        let id = hashes.count
        hashes.append(hash)
        starts.append(arena.count)
        arena.append(contentsOf: makeKey())
        slots[slot] = Int32(id)
        if hashes.count * 2 > slots.count { grow() }
        return (id, true)
    }

    /// Continues a hash over more bytes (the same mixing as ``hash(_:)``), for keys made of several parts.
    @inline(__always)
    package static func combine(_ seed: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while bytes.count - offset >= 8 {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    /// The bytes of key `id`.
    package func key(_ id: Int) -> ArraySlice<UInt8> {
        arena[starts[id]..<(id + 1 < starts.count ? starts[id + 1] : arena.count)]
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    /// A fast 64-bit hash, eight bytes at a time (a multiply-xorshift mix; not for untrusted adversaries,
    /// which a report's own input is not).
    package static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        combine(0x9E37_79B9_7F4A_7C15, key)
    }

    /// Whether two byte strings are equal, eight bytes at a time (the keys are short: calling memcmp costs
    /// more than the compare).
    @inline(__always)
    package static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let first = a.baseAddress, let second = b.baseAddress else { return true }
        var index = 0
        let count = a.count
        while count - index >= 8 {
            guard
                first.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    == second.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            else { return false }
            index += 8
        }
        while index < count {
            guard
                first.load(fromByteOffset: index, as: UInt8.self) == second.load(fromByteOffset: index, as: UInt8.self)
            else { return false }
            index += 1
        }
        return true
    }
}
