/// The distinct values of one or two lanes of whole numbers (microseconds, or signed differences of them), in
/// ascending order with how often each lane holds each, built within a memory cap by as many passes over the
/// data as the cap needs.
///
/// Statistics that rank values (quantiles, rank tests, the bootstrap of a median) only need each distinct value
/// once with its counts, so their memory grows with the distinct values, not with the samples. When even the
/// distinct values pass the cap, the value range is cut into slices that fit, and each slice is counted in a
/// pass of its own: the data are read again rather than held.
///
/// `pass` must produce the same values every time it is called: it calls `add(value, lane)` (lane 0 or 1) for
/// each value. ``forEachSlice(cap:pass:begin:slice:)`` first tells `begin` the total count of each lane (which
/// returns whether the values are wanted at all), then hands `slice` consecutive ascending slices of `(value, first lane's count, second lane's count)` that
/// together cover every distinct value once.
struct LaneCounts {
    /// One distinct value with its count in each lane.
    typealias Entry = (value: Int64, first: Int, second: Int)

    /// Bytes a distinct value may take while counting (a dictionary entry at its lowest load, then its place in
    /// the sorted slice): the cap in values is the budget in bytes over this.
    static let bytesPerValue = IntegerTable.bytesPerKey + MemoryLayout<Entry>.stride

    /// Buckets of the coarse histogram that plans slices when the values do not fit at once.
    static let coarseBuckets = 1 << 16

    /// Passes over the data that the last ``forEachSlice(cap:pass:begin:slice:)`` or ``finish(pass:begin:slice:)``
    /// made (1 when everything fit).
    private(set) var passes = 0

    private let cap: Int
    private var lanes = IntegerTable()
    private var totals = [0, 0]
    private var overflow = false
    private var low = Int64.max
    private var high = Int64.min

    /// A tally that holds at most about `cap` distinct values (at least 1,024).
    init(cap: Int = 1_024) {
        self.cap = max(cap, 1_024)
    }

    /// The first pass, value by value: counts everything while it fits; past the cap, only the totals and the
    /// value range. Several tallies can take their first pass from one read of the rows this way.
    @inline(__always)
    mutating func add(_ value: Int64, lane: Int) {
        totals[lane] += 1
        precondition(totals[lane] < 1 << 32, "more than 2^32 values in one counting lane")
        low = min(low, value)
        high = max(high, value)
        guard !overflow else { return }
        lanes.add(UInt64(bitPattern: value), Self.one(lane))
        if lanes.count > cap {
            overflow = true
            lanes = IntegerTable()
        }
    }

    /// The values of `lane` the first pass counted.
    func total(lane: Int) -> Int { totals[lane] }

    /// Bytes the counts of the first pass hold.
    var heldBytes: Int { lanes.heldBytes }

    /// Gives up the counts of the first pass (keeping its totals and range): ``finish(pass:begin:slice:)`` then
    /// counts in passes of its own.
    mutating func dropCounts() {
        overflow = true
        lanes = IntegerTable()
    }

    /// Adds the first pass of another tally (of other rows, with lanes meaning the same) to this one's: the
    /// merged tally is as if one pass had read both.
    mutating func merge(_ other: LaneCounts) {
        totals[0] += other.totals[0]
        totals[1] += other.totals[1]
        low = min(low, other.low)
        high = max(high, other.high)
        guard !overflow else { return }
        if other.overflow {
            overflow = true
            lanes = IntegerTable()
            return
        }
        other.lanes.forEach { key, counts in lanes.add(key, counts) }
        if lanes.count > cap {
            overflow = true
            lanes = IntegerTable()
        }
    }

    /// Counts the values `pass` produces in as many passes as the cap needs, holding at most about `cap`
    /// distinct values at a time.
    mutating func forEachSlice(
        cap: Int,
        pass: (_ add: (_ value: Int64, _ lane: Int) -> Void) throws(ReportError) -> Void,
        begin: (_ first: Int, _ second: Int) throws(ReportError) -> Bool,
        slice: ([Entry]) throws(ReportError) -> Void
    ) throws(ReportError) {
        self = LaneCounts(cap: cap)
        try pass { value, lane in add(value, lane: lane) }
        try finish(pass: pass, begin: begin, slice: slice)
    }

    /// After the first pass (``add(_:lane:)``): tells `begin` the totals, then hands `slice` the counts, making
    /// further passes with `pass` (which must produce what the first pass did) when they did not fit.
    mutating func finish(
        pass: (_ add: (_ value: Int64, _ lane: Int) -> Void) throws(ReportError) -> Void,
        begin: (_ first: Int, _ second: Int) throws(ReportError) -> Bool,
        slice: ([Entry]) throws(ReportError) -> Void
    ) throws(ReportError) {
        let cap = self.cap
        let low = self.low
        let high = self.high
        passes = 1
        guard try begin(totals[0], totals[1]) else { return }
        guard overflow else {
            try slice(Self.merge(lanes, from: Int64.min, to: Int64.max))
            lanes = IntegerTable()
            return
        }
        // Second pass: a coarse histogram of the range, to cut it into slices of at most `cap` distinct values
        // (a bucket holds at most its width and at most its count of them).
        let span = UInt64(bitPattern: high &- low)
        let width = span / UInt64(Self.coarseBuckets) + 1
        var histogram = [Int](repeating: 0, count: Self.coarseBuckets)
        try pass { value, _ in
            histogram[Int(UInt64(bitPattern: value &- low) / width)] += 1
        }
        passes += 1
        var bounds: [(low: Int64, high: Int64)] = []
        var start = 0
        var held = 0
        for bucket in 0..<Self.coarseBuckets {
            let most = Int(min(UInt64(histogram[bucket]), width))
            if held > 0, held + most > cap {
                bounds.append(Self.range(buckets: start..<bucket, low: low, width: width, high: high))
                start = bucket
                held = 0
            }
            held += most
        }
        bounds.append(Self.range(buckets: start..<Self.coarseBuckets, low: low, width: width, high: high))
        histogram = []
        for bound in bounds {
            var part = IntegerTable()
            try pass { value, lane in
                guard value >= bound.low, value <= bound.high else { return }
                part.add(UInt64(bitPattern: value), Self.one(lane))
            }
            passes += 1
            try slice(Self.merge(part, from: bound.low, to: bound.high))
        }
    }

    /// The values of buckets `buckets`, clamped to the data's range.
    private static func range(buckets: Range<Int>, low: Int64, width: UInt64, high: Int64) -> (Int64, Int64) {
        let from = low &+ Int64(bitPattern: UInt64(buckets.lowerBound) &* width)
        let last =
            buckets.upperBound >= coarseBuckets
            ? high : low &+ Int64(bitPattern: UInt64(buckets.upperBound) &* width) &- 1
        return (from, min(last, high))
    }

    /// One sample of `lane`, as the table counts it: the first lane in the low 32 bits, the second in the high.
    @inline(__always)
    private static func one(_ lane: Int) -> UInt64 { lane == 0 ? 1 : 1 << 32 }

    /// The two lanes' counts as one ascending list.
    private static func merge(_ lanes: IntegerTable, from: Int64, to: Int64) -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(lanes.count)
        lanes.forEach { key, counts in
            entries.append((Int64(bitPattern: key), Int(counts & 0xFFFF_FFFF), Int(counts >> 32)))
        }
        entries.sort { $0.value < $1.value }
        return entries
    }
}
