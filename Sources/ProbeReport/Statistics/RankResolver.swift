/// The values at given ranks of a series kept as ascending counts of its distinct values, found in one pass
/// over the counts, which may come in several slices (so that counts too many to hold at once can be read
/// in turn).
///
/// Make a resolver with the ranks (from 0, in any order, repeats allowed), hand it the series' distinct values
/// in ascending order with their counts through ``consume(_:)`` (one slice after another, each continuing where
/// the previous ended), then read ``values()``. The value at rank `r` is the one a full sort of the series puts
/// at position `r`, as a full sort of the values would put there. Costs `O(ranks log ranks)` to make and `O(1)`
/// per entry consumed; entries after the highest rank are skipped.
///
/// ```swift
/// var resolver = RankResolver(ranks: [4, 0, 2])
/// resolver.consume([(value: 10, count: 2), (value: 12, count: 1)])
/// resolver.consume([(value: 15, count: 2)])
/// let values = resolver.values()  // [15, 10, 12]
/// ```
package struct RankResolver: Sendable {
    /// The ranks asked for, in the order given.
    private let ranks: [Int]
    /// Positions in `ranks`, by ascending rank.
    private let order: [Int]
    /// The value found for each rank so far, in the order of `ranks`.
    private var resolved: [Int64]
    /// How many positions of `order` have their value.
    private var done = 0
    /// How many values (the sum of the counts) were consumed.
    private var consumed = 0
    /// The last distinct value consumed, to check that slices ascend.
    private var last: Int64?

    /// A resolver for `ranks` (each from 0; in any order, repeats allowed).
    package init(ranks: [Int]) {
        for rank in ranks { precondition(rank >= 0, "negative rank \(rank)") }
        self.ranks = ranks
        order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        resolved = [Int64](repeating: 0, count: ranks.count)
    }

    /// A resolver for the two middle ranks of each resample, `ranks[0].low, ranks[0].high, ranks[1].low, ...`:
    /// ``values()`` gives them in that order, as the `resolved:` forms of ``Bootstrap`` take them.
    package init(medianRanks ranks: [(low: Int, high: Int)]) {
        var flat: [Int] = []
        flat.reserveCapacity(2 * ranks.count)
        for pair in ranks {
            flat.append(pair.low)
            flat.append(pair.high)
        }
        self.init(ranks: flat)
    }

    /// Whether every rank has its value.
    package var isComplete: Bool { done == order.count }

    /// Reads the next slice of the series: distinct values, ascending and above every value of the earlier
    /// slices, each with how often it occurs (0 or more).
    package mutating func consume(_ slice: [(value: Int64, count: Int)]) {
        for entry in slice {
            guard done < order.count else { return }
            precondition(entry.count >= 0, "negative count \(entry.count) of \(entry.value)")
            if let last { precondition(entry.value > last, "value \(entry.value) after \(last): not ascending") }
            last = entry.value
            consumed += entry.count
            while done < order.count, ranks[order[done]] < consumed {
                resolved[order[done]] = entry.value
                done += 1
            }
        }
    }

    /// The value at each rank, in the order the ranks were given; every rank must be below the number of values
    /// consumed.
    package func values() -> [Int64] {
        precondition(isComplete, "rank \(ranks[order[done]]) is beyond the \(consumed) values consumed")
        return resolved
    }
}
