/// Exact quantiles by DuckDB's `quantile_cont` method (Hyndman and Fan's type 7, NumPy's default), found by
/// selection rather than by sorting.
///
/// For `n` values sorted as `x[0] ... x[n-1]`, the q-quantile sits at `h = (n - 1) * q` and is
/// `x[floor h] + (h - floor h) * (x[ceil h] - x[floor h])`, so the median of an even count is the mean of the
/// two middle values. The order statistics are found by quickselect (three-way partitions for the many ties of
/// whole-microsecond latencies, a sort as the fallback for lopsided partitions): O(n) per quantile on typical
/// input, never worse than O(n log n). Several quantiles are selected in ascending rank order, each on the part
/// of the buffer above the previous one. The probe summary and the reports use this one implementation.
///
/// Values must not be NaN (the result is unspecified then, though nothing traps).
package enum Quantiles {
    /// The `quantiles` (each in 0...1, in any order) of integer `values` (microseconds), as `Double`s in the
    /// same unit and in the order the quantiles were given. Reorders `values`. Empty `values` give an empty
    /// result: there is no quantile of nothing, and an empty array cannot be mistaken for a value.
    package static func continuous(_ values: inout [UInt32], at quantiles: [Double]) -> [Double] {
        continuousQuantiles(of: &values, at: quantiles) { Double($0) }
    }

    /// The `quantiles` (each in 0...1, in any order) of `values`, in the order the quantiles were given;
    /// for paired differences and bootstrap statistics. Reorders `values`. Empty `values` give an empty
    /// result.
    package static func continuous(_ values: inout [Double], at quantiles: [Double]) -> [Double] {
        continuousQuantiles(of: &values, at: quantiles) { $0 }
    }

    /// The median (the 0.5 quantile, so the mean of the two middle values for an even count) of `values`,
    /// which must not be empty. Reorders `values` and allocates nothing, for the bootstrap's inner loop.
    package static func median(_ values: inout [Double]) -> Double {
        precondition(!values.isEmpty, "the median of no values")
        return values.withUnsafeMutableBufferPointer { buffer in
            var selection = Selection(buffer)
            return selection.quantile(0.5) { $0 }
        }
    }

    /// Where the `q`-quantile of `count` sorted values sits: the ranks (from 0) either side of
    /// `h = (count - 1) * q`, and how far `h` is past the lower one. For ways of finding the order statistics
    /// other than selection (counts of distinct values read in slices).
    package static func position(of q: Double, count: Int) -> (low: Int, high: Int, fraction: Double) {
        let position = Double(count - 1) * q
        let low = Int(position.rounded(.down))
        return (low, min(Int(position.rounded(.up)), count - 1), position - Double(low))
    }

    /// The quantile between the order statistics `low` and `high`, `fraction` of the way from one to the other
    /// (``position(of:count:)``).
    package static func interpolate(_ low: Double, _ high: Double, _ fraction: Double) -> Double {
        low + fraction * (high - low)
    }

    /// The shared implementation of both `continuous` overloads: `asDouble` converts the few selected
    /// values for the interpolation.
    private static func continuousQuantiles<Element: Comparable & Sendable>(
        of values: inout [Element], at quantiles: [Double], asDouble: (Element) -> Double
    ) -> [Double] {
        for quantile in quantiles {
            precondition(quantile >= 0 && quantile <= 1, "quantile \(quantile) is outside 0...1")
        }
        guard !values.isEmpty else { return [] }
        // Ascending order of quantile is ascending order of rank.
        let order = quantiles.indices.sorted { quantiles[$0] < quantiles[$1] }
        var results = [Double](repeating: 0, count: quantiles.count)
        values.withUnsafeMutableBufferPointer { buffer in
            var selection = Selection(buffer)
            for index in order {
                results[index] = selection.quantile(quantiles[index], asDouble: asDouble)
            }
        }
        return results
    }
}

/// Order statistics of one buffer, asked for in ascending rank order: each is selected on the part of the
/// buffer above the previous one, and ranks already in their sorted place are read off directly.
///
/// Invariant: every element below `boundary` is at most every element from `boundary` on, and the positions
/// from `settledStart` up to `boundary` hold the values a full sort would put there.
private struct Selection<Element: Comparable> {
    /// Below this many elements a range is finished by insertion sort.
    private static var insertionSortLimit: Int { 24 }
    /// From this many elements on the pivot is Tukey's ninther rather than a median of 3.
    private static var nintherLimit: Int { 256 }

    /// The values, reordered as ranks are selected.
    private let buffer: UnsafeMutableBufferPointer<Element>
    /// Start of the range of positions known to hold their sorted values.
    private var settledStart = 0
    /// End of that range: elements from here on are no smaller than any before.
    private var boundary = 0

    /// Starts selecting on `buffer`, nothing selected yet.
    init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        self.buffer = buffer
    }

    /// The q-quantile by linear interpolation between the order statistics at `floor h` and `ceil h`,
    /// `h = (n - 1) * q`. Quantiles must come in ascending order.
    mutating func quantile(_ q: Double, asDouble: (Element) -> Double) -> Double {
        let at = Quantiles.position(of: q, count: buffer.count)
        let low = asDouble(element(atRank: at.low))
        guard at.high > at.low else { return low }
        return Quantiles.interpolate(low, asDouble(element(atRank: at.high)), at.fraction)
    }

    /// The value a full sort would put at `rank`. Ranks must not go below the settled range, which starts at
    /// the last rank that needed a selection: ascending ranks, or a quantile's lower rank again after the
    /// previous quantile's upper one.
    mutating func element(atRank rank: Int) -> Element {
        precondition(rank >= settledStart && rank < buffer.count, "ranks must ascend within the buffer")
        if rank < boundary {
            return buffer[rank]
        }
        if rank == boundary {
            // The next rank up is the minimum of the rest: one scan instead of a selection, and the settled
            // range grows by one.
            var smallest = rank
            for index in (rank + 1)..<buffer.count where buffer[index] < buffer[smallest] {
                smallest = index
            }
            buffer.swapAt(rank, smallest)
            boundary = rank + 1
            return buffer[rank]
        }
        settledStart = rank
        boundary = select(rank, from: boundary)
        return buffer[rank]
    }

    /// Moves the element of sorted rank `rank` into place within `start..<buffer.count` (whose elements are
    /// no smaller than any before `start`); returns the end of the settled range around it: every position
    /// from `rank` to the result holds its sorted value, and nothing at or past the result is smaller.
    ///
    /// Each step partitions the range around a pivot in one of two ways (as pdqsort does): when the pivot
    /// equals the element just before the range, which is no larger than anything in it, the pivot is the
    /// range's minimum and the range splits into the copies of it and the rest (so a run of ties is settled
    /// in one pass); otherwise into the elements below the pivot, the pivot, and the rest.
    private func select(_ rank: Int, from start: Int) -> Int {
        var low = start
        var high = buffer.count - 1
        // Introselect's budget (as libstdc++'s nth_element): about two halvings' worth per bit of size.
        var budget = 2 * (Int.bitWidth - (high - low + 1).leadingZeroBitCount)
        while high - low >= Self.insertionSortLimit {
            if budget == 0 {
                var range = UnsafeMutableBufferPointer(rebasing: buffer[low...high])
                range.sort()
                return high + 1
            }
            budget -= 1
            buffer.swapAt(low, pivotIndex(low, high))
            let pivot = buffer[low]
            if low > 0 && !(buffer[low - 1] < pivot) {
                let end = partitionEqual(low, high, pivot)
                if rank < end { return end }
                low = end
                continue
            }
            let position = partitionBelow(low, high)
            if rank == position { return position + 1 }
            if rank < position {
                high = position - 1
            } else {
                low = position + 1
            }
        }
        insertionSort(low, high)
        return high + 1
    }

    /// Partitions `low...high` around the pivot at `low`: moves the elements below it to the front and the
    /// pivot right after them; returns the pivot's position (everything after it is no smaller).
    ///
    /// Lomuto's scheme without branches (Alexandrescu's): every element is swapped with the first one not
    /// below the pivot, and that position advances by the comparison's 0 or 1, so random data costs no
    /// mispredicted branches.
    private func partitionBelow(_ low: Int, _ high: Int) -> Int {
        let pivot = buffer[low]
        var first = low + 1
        for read in (low + 1)...high {
            let value = buffer[read]
            buffer[read] = buffer[first]
            buffer[first] = value
            first &+= Self.one(if: value < pivot)
        }
        buffer.swapAt(low, first - 1)
        return first - 1
    }

    /// Partitions `low...high`, none of whose elements is below `pivot`, into the copies of `pivot` and the
    /// larger elements (by the same branch-free scheme); returns where the larger ones start.
    private func partitionEqual(_ low: Int, _ high: Int, _ pivot: Element) -> Int {
        var first = low
        for read in low...high {
            let value = buffer[read]
            buffer[read] = buffer[first]
            buffer[first] = value
            first &+= Self.one(if: !(pivot < value))
        }
        return first
    }

    /// 1 for true, 0 for false, from the Bool's byte: the compiler turns `condition ? 1 : 0` in the
    /// partition loops into a branch, which mispredicts on every other element of random data (ten times
    /// slower here).
    @inline(__always)
    private static func one(if condition: Bool) -> Int {
        Int(truncatingIfNeeded: unsafeBitCast(condition, to: UInt8.self))
    }

    /// Where to take the pivot of `low...high` from: the median of the first, middle and last elements, or
    /// for large ranges the median of three such medians (Tukey's ninther), so that sorted, reversed and
    /// tied input split well.
    private func pivotIndex(_ low: Int, _ high: Int) -> Int {
        let middle = low + (high - low) / 2
        guard high - low >= Self.nintherLimit else {
            return medianOfThree(low, middle, high)
        }
        let step = (high - low) / 8
        return medianOfThree(
            medianOfThree(low, low + step, low + 2 * step),
            medianOfThree(middle - step, middle, middle + step),
            medianOfThree(high - 2 * step, high - step, high)
        )
    }

    /// The index of the middle one of the values at three indices.
    private func medianOfThree(_ a: Int, _ b: Int, _ c: Int) -> Int {
        if buffer[a] < buffer[b] {
            if buffer[b] < buffer[c] { return b }
            return buffer[a] < buffer[c] ? c : a
        }
        if buffer[a] < buffer[c] { return a }
        return buffer[b] < buffer[c] ? c : b
    }

    /// Sorts the small range `low...high` in place.
    private func insertionSort(_ low: Int, _ high: Int) {
        guard high > low else { return }
        for index in (low + 1)...high {
            let value = buffer[index]
            var hole = index
            while hole > low && value < buffer[hole - 1] {
                buffer[hole] = buffer[hole - 1]
                hole -= 1
            }
            buffer[hole] = value
        }
    }
}
