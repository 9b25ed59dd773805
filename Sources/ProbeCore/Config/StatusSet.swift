/// A set of HTTP status codes, written in config as a list of codes and ranges: `[200-399, 401]`.
public struct StatusSet: Sendable, Hashable, CustomStringConvertible {
    /// The ranges, in the order given.
    public var ranges: [ClosedRange<Int>]

    /// Makes a set from ranges.
    public init(_ ranges: [ClosedRange<Int>]) {
        self.ranges = ranges
    }

    /// 200-399: success and redirects, the default expectation.
    public static let `default` = StatusSet([200...399])

    /// True when `status` is in the set.
    public func contains(_ status: Int) -> Bool {
        ranges.contains { $0.contains(status) }
    }

    /// `200-399,401`.
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }

    /// Parses `200-399,401` (commas or a YAML list, handled by the caller); nil when malformed.
    public static func parse(_ text: String) -> StatusSet? {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
                .map { Int($0.trimmingWhitespace()) }
            guard !bounds.isEmpty, bounds.count <= 2, let low = bounds.first ?? nil, let high = bounds.last ?? nil,
                low <= high, low >= 100, high <= 599
            else { return nil }
            ranges.append(low...high)
        }
        return ranges.isEmpty ? nil : StatusSet(ranges)
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        var out = self
        while let first = out.first, first == " " || first == "\t" { out = out.dropFirst() }
        while let last = out.last, last == " " || last == "\t" { out = out.dropLast() }
        return out
    }
}
