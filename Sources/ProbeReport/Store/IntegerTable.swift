/// A hash table from 64-bit keys to 64-bit values for the report's hot loops (counting distinct values,
/// pairing samples by key): open addressing with linear probing and a multiplicative hash, two flat arrays, no
/// per-entry allocation. It is several times faster than `Dictionary` with its seeded SipHash on these keys,
/// which are integers the report made itself, not input an attacker chooses freely.
struct IntegerTable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var shift: UInt64
    /// The value of the key used to mark empty slots, which cannot live in a slot.
    private var emptyKeyValue: UInt64?
    /// Keys held.
    private(set) var count = 0

    private static let empty = UInt64.max

    /// An empty table with room for `capacity` keys before it grows.
    init(capacity: Int = 0) {
        let slots = Self.slots(capacity: capacity)
        keys = [UInt64](repeating: Self.empty, count: slots)
        values = [UInt64](repeating: 0, count: slots)
        shift = UInt64(64 - slots.trailingZeroBitCount)
    }

    /// The slots a table made for `capacity` keys has: a power of two, at least twice the keys.
    static func slots(capacity: Int) -> Int {
        var slots = 16
        while slots < capacity * 2 { slots <<= 1 }
        return slots
    }

    /// Bytes a table made for `capacity` keys holds while it does not grow.
    static func bytes(capacity: Int) -> Int { slots(capacity: capacity) * 2 * MemoryLayout<UInt64>.stride }

    /// Bytes the table holds per key at its fullest: two 8-byte slots at a load of a half down to a quarter.
    static let bytesPerKey = 64

    /// Bytes the table's slots take.
    var heldBytes: Int { keys.count * 2 * MemoryLayout<UInt64>.stride }

    /// Adds `delta` to the value of `key` (0 when new).
    @inline(__always)
    mutating func add(_ key: UInt64, _ delta: UInt64) {
        if key == Self.empty {
            if emptyKeyValue == nil { count += 1 }
            emptyKeyValue = (emptyKeyValue ?? 0) &+ delta
            return
        }
        let slot = find(key)
        if keys[slot] == key {
            values[slot] &+= delta
            return
        }
        keys[slot] = key
        values[slot] = delta
        count += 1
        if count * 2 > keys.count { grow() }
    }

    /// Sets the value of `key`.
    @inline(__always)
    mutating func set(_ key: UInt64, _ value: UInt64) {
        if key == Self.empty {
            if emptyKeyValue == nil { count += 1 }
            emptyKeyValue = value
            return
        }
        let slot = find(key)
        if keys[slot] != key {
            keys[slot] = key
            count += 1
        }
        values[slot] = value
        if count * 2 > keys.count { grow() }
    }

    /// The value of `key`, nil when it is not in the table.
    @inline(__always)
    func value(for key: UInt64) -> UInt64? {
        if key == Self.empty { return emptyKeyValue }
        let slot = find(key)
        return keys[slot] == key ? values[slot] : nil
    }

    /// Calls `body` with every key and its value, in no particular order.
    func forEach(_ body: (_ key: UInt64, _ value: UInt64) -> Void) {
        for slot in keys.indices where keys[slot] != Self.empty { body(keys[slot], values[slot]) }
        if let emptyKeyValue { body(Self.empty, emptyKeyValue) }
    }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ key: UInt64) -> Int {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        return keys.withUnsafeBufferPointer { keys in
            while keys[slot] != key && keys[slot] != Self.empty { slot = (slot + 1) & mask }
            return slot
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = [UInt64](repeating: Self.empty, count: oldKeys.count * 2)
        values = [UInt64](repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        for slot in oldKeys.indices where oldKeys[slot] != Self.empty {
            let target = find(oldKeys[slot])
            keys[target] = oldKeys[slot]
            values[target] = oldValues[slot]
        }
    }
}
