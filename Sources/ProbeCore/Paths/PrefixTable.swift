/// A longest-prefix-match table over IPv4 and IPv6 prefixes, built once and then only read.
///
/// Used to tag each sample with the registered prefix its egress address falls in, and by config validation to
/// find prefixes registered twice (``overlappingPairs()``).
///
/// Per family, the prefixes are flattened into sorted, disjoint address intervals, each knowing the longest
/// prefix that covers it (or none). A look-up finds the interval holding the address through a bucket table
/// indexed by the address's leading bits, so it costs a few memory reads whatever the prefix lengths.
///
/// When the same prefix appears more than once, look-ups return the first of them; every entry is kept in
/// ``entries`` and reported by ``overlappingPairs()``.
public struct PrefixTable<Value: Sendable>: Sendable {
    /// The prefixes and values in the order given, duplicates included.
    public let entries: [(prefix: IPPrefix, value: Value)]
    /// The search structure over `entries`.
    @usableFromInline let index: PrefixIndex

    /// Builds the table; O(n log n).
    public init(_ entries: [(IPPrefix, Value)]) {
        precondition(entries.count < Int(Int32.max), "too many prefixes")
        self.entries = entries.map { (prefix: $0.0, value: $0.1) }
        self.index = PrefixIndex(entries.map(\.0))
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Whether the table has no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// The longest prefix that contains `address`, with its value; nil when none does.
    @inlinable
    public func longestMatch(_ address: IPAddress) -> (prefix: IPPrefix, value: Value)? {
        let found = index.match(address)
        return found < 0 ? nil : entries[found]
    }

    /// Every pair of entries whose prefixes overlap (one contains the other, or they are equal), found by
    /// sorting: O(n log n + pairs).
    ///
    /// In each pair, `outer` contains `inner`; for equal prefixes, `outer` is the one given first. Pairs come in
    /// the order of the inner prefix (IPv4 first, then by address, shorter first, then by input order), and for
    /// one inner prefix from the widest outer prefix to the narrowest.
    public func overlappingPairs() -> [(outer: IPPrefix, outerValue: Value, inner: IPPrefix, innerValue: Value)] {
        var pairs: [(outer: IPPrefix, outerValue: Value, inner: IPPrefix, innerValue: Value)] = []
        let order = entries.indices.sorted { left, right in
            let (a, b) = (entries[left].prefix, entries[right].prefix)
            return a != b ? a < b : left < right
        }
        var open: [Int] = []  // entries whose prefixes contain the current one, widest first
        for current in order {
            let prefix = entries[current].prefix
            while let last = open.last, !entries[last].prefix.contains(prefix) { open.removeLast() }
            for outer in open {
                pairs.append((entries[outer].prefix, entries[outer].value, prefix, entries[current].value))
            }
            open.append(current)
        }
        return pairs
    }
}

// MARK: - Index

/// The search structure of a ``PrefixTable``, apart from its values so that look-ups run as concrete code.
@usableFromInline
struct PrefixIndex: Sendable {
    var v4: IntervalIndex<UInt32>
    var v6: IntervalIndex<IPv6Key>

    init(_ prefixes: [IPPrefix]) {
        var v4: [(start: UInt32, end: UInt32, entry: Int32)] = []
        var v6: [(start: IPv6Key, end: IPv6Key, entry: Int32)] = []
        for (entry, prefix) in prefixes.enumerated() {
            switch (prefix.address, prefix.lastAddress) {
            case (.v4(let start), .v4(let end)):
                v4.append((start, end, Int32(entry)))
            case (.v6(let startHigh, let startLow), .v6(let endHigh, let endLow)):
                v6.append((IPv6Key(high: startHigh, low: startLow), IPv6Key(high: endHigh, low: endLow), Int32(entry)))
            default:
                preconditionFailure("a prefix's first and last addresses differ in family")
            }
        }
        self.v4 = IntervalIndex(v4)
        self.v6 = IntervalIndex(v6)
    }

    /// The entry index of the longest prefix containing `address`, or -1.
    @usableFromInline
    func match(_ address: IPAddress) -> Int {
        switch address {
        case .v4(let value): Int(v4.find(value))
        case .v6(let high, let low): Int(v6.find(IPv6Key(high: high, low: low)))
        }
    }
}

/// The key of an ``IntervalIndex``: an unsigned address of one family.
protocol IntervalKey: Comparable, Sendable {
    /// Bits in a key.
    static var bitWidth: Int { get }
    /// The all-zero key.
    static var zero: Self { get }
    /// The all-ones key.
    static var allOnes: Self { get }
    /// The key plus one, wrapping.
    var successor: Self { get }
    /// The key minus `other`, wrapping.
    func subtracting(_ other: Self) -> Self
    /// The key shifted right by `count` bits (0 ..< bitWidth), as an Int; the caller knows it fits.
    func shiftedDown(_ count: Int) -> Int
    /// The key with its top `count` bits (0 ..< bitWidth) kept and the rest set to `fill`.
    func keepingTop(_ count: Int, fill: Bool) -> Self
    /// The number of leading bits that the key shares with `other`.
    func commonLeadingBits(with other: Self) -> Int
}

extension UInt32: IntervalKey {
    static var zero: UInt32 { 0 }
    static var allOnes: UInt32 { .max }
    var successor: UInt32 { self &+ 1 }
    @inline(__always) func subtracting(_ other: UInt32) -> UInt32 { self &- other }
    @inline(__always) func shiftedDown(_ count: Int) -> Int { Int(self &>> UInt32(count)) }
    func keepingTop(_ count: Int, fill: Bool) -> UInt32 {
        let low = count == 0 ? UInt32.max : (UInt32.max &>> UInt32(count))
        return fill ? self | low : self & ~low
    }
    func commonLeadingBits(with other: UInt32) -> Int { (self ^ other).leadingZeroBitCount }
}

/// An IPv6 address as a comparable 128-bit key.
struct IPv6Key: IntervalKey {
    var high: UInt64
    var low: UInt64

    static var bitWidth: Int { 128 }
    static var zero: IPv6Key { IPv6Key(high: 0, low: 0) }
    static var allOnes: IPv6Key { IPv6Key(high: .max, low: .max) }

    @inline(__always)
    static func < (lhs: IPv6Key, rhs: IPv6Key) -> Bool {
        lhs.high < rhs.high || (lhs.high == rhs.high && lhs.low < rhs.low)
    }

    var successor: IPv6Key {
        IPv6Key(high: low == .max ? high &+ 1 : high, low: low &+ 1)
    }

    @inline(__always)
    func subtracting(_ other: IPv6Key) -> IPv6Key {
        let (low, borrow) = self.low.subtractingReportingOverflow(other.low)
        return IPv6Key(high: high &- other.high &- (borrow ? 1 : 0), low: low)
    }

    @inline(__always)
    func shiftedDown(_ count: Int) -> Int {
        if count >= 64 { return Int(truncatingIfNeeded: high &>> UInt64(count - 64)) }
        if count == 0 { return Int(truncatingIfNeeded: low) }
        return Int(truncatingIfNeeded: high &<< UInt64(64 - count) | low &>> UInt64(count))
    }

    func keepingTop(_ count: Int, fill: Bool) -> IPv6Key {
        let (highMask, lowMask) = IPPrefix.mask128(count)
        return fill
            ? IPv6Key(high: high | ~highMask, low: low | ~lowMask)
            : IPv6Key(high: high & highMask, low: low & lowMask)
    }

    func commonLeadingBits(with other: IPv6Key) -> Int {
        high != other.high ? (high ^ other.high).leadingZeroBitCount : 64 + (low ^ other.low).leadingZeroBitCount
    }
}

/// Longest-prefix match over the prefixes of one family, flattened into sorted disjoint intervals.
///
/// `starts[i] ..< starts[i + 1]` (the last one running to the end of the address space) is covered by entry
/// `entries[i]`, or by none when that is -1; `starts[0]` is zero. Every start but the first lies in
/// `regionStart ... regionEnd`, the addresses that share the leading bits common to all of them. Inside it,
/// `buckets[b]` counts the starts below bucket `b`, where a key's bucket is its offset from `regionStart`
/// shifted down by `bucketShift`.
struct IntervalIndex<Key: IntervalKey>: Sendable {
    var starts: [Key]
    var entries: [Int32]
    var buckets: [UInt32]
    var regionStart: Key
    var regionEnd: Key
    var bucketShift: Int

    /// The most bucket bits: 2^16 buckets of 4 bytes, 256 KiB, stays in the level-2 cache.
    static var maximumBucketBits: Int { 16 }

    /// Builds the index from prefixes as (first address, last address, entry index).
    init(_ prefixes: [(start: Key, end: Key, entry: Int32)]) {
        // Widest first among equal starts, then input order: the first of equal prefixes wins.
        let sorted = prefixes.sorted { left, right in
            if left.start != right.start { return left.start < right.start }
            if left.end != right.end { return right.end < left.end }
            return left.entry < right.entry
        }
        var starts: [Key] = [.zero]
        var entries: [Int32] = [-1]
        /// Starts a new interval at `start` covered by `entry`.
        func open(_ start: Key, _ entry: Int32) {
            if starts[starts.count - 1] == start {
                entries[entries.count - 1] = entry
            } else if entries[entries.count - 1] != entry {
                starts.append(start)
                entries.append(entry)
            }
        }
        var stack: [(start: Key, end: Key, entry: Int32)] = []  // prefixes holding the current position, widest first
        /// Closes the innermost open prefix; what follows it belongs to the next one out.
        func close() {
            let closed = stack.removeLast()
            if closed.end != Key.allOnes { open(closed.end.successor, stack.last?.entry ?? -1) }
        }
        for prefix in sorted {
            while let top = stack.last, top.end < prefix.start { close() }
            if let top = stack.last, top.start == prefix.start, top.end == prefix.end {
                continue  // the same prefix again: the first one stays
            }
            open(prefix.start, prefix.entry)
            stack.append(prefix)
        }
        while !stack.isEmpty { close() }

        // The region every start but the first lies in, and its buckets.
        let width = Key.bitWidth
        let common = starts.count > 1 ? min(starts[1].commonLeadingBits(with: starts[starts.count - 1]), width - 1) : 0
        let regionStart = starts.count > 1 ? starts[1].keepingTop(common, fill: false) : .zero
        var bucketBits = 1
        while bucketBits < IntervalIndex.maximumBucketBits, bucketBits < width - common,
            1 << bucketBits < 4 * starts.count
        {
            bucketBits += 1
        }
        let bucketShift = width - common - bucketBits
        var buckets = [UInt32](repeating: 0, count: (1 << bucketBits) + 1)
        var below = 0
        for bucket in 0..<(1 << bucketBits) {
            while below < starts.count,
                starts[below] < regionStart
                    || starts[below].subtracting(regionStart)
                        .shiftedDown(bucketShift) < bucket
            {
                below += 1
            }
            buckets[bucket] = UInt32(below)
        }
        buckets[1 << bucketBits] = UInt32(starts.count)
        self.starts = starts
        self.entries = entries
        self.buckets = buckets
        self.regionStart = regionStart
        self.regionEnd = regionStart.keepingTop(common, fill: true)
        self.bucketShift = bucketShift
    }

    /// The entry of the interval holding `key`, or -1.
    @inline(__always)
    func find(_ key: Key) -> Int32 {
        starts.withUnsafeBufferPointer { starts in
            entries.withUnsafeBufferPointer { entries in
                if key < regionStart { return entries[0] }
                if regionEnd < key { return entries[entries.count - 1] }
                let bucket = key.subtracting(regionStart).shiftedDown(bucketShift)
                return buckets.withUnsafeBufferPointer { buckets in
                    // The last start at or below `key` among those in the bucket, else the one before it.
                    var first = Int(buckets[bucket])
                    var count = Int(buckets[bucket + 1]) - first
                    while count > 0 {
                        let half = count >> 1
                        if starts[first + half] <= key {
                            first += half + 1
                            count -= half + 1
                        } else {
                            count = half
                        }
                    }
                    return entries[first - 1]
                }
            }
        }
    }
}
