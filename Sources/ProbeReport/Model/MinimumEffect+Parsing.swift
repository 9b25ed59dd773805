extension MinimumEffect {
    /// Parses `--min-effect`: `2ms`, `10%`, or both separated by a comma (`1ms,5%`, the default). A part left
    /// out is 0, so `3ms` alone means "at least 3 ms whatever the relative size".
    public init?(text: String) {
        var milliseconds = 0.0
        var percent = 0.0
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: " ") }
        guard !parts.isEmpty, parts.count <= 2 else { return nil }
        var sawMilliseconds = false
        var sawPercent = false
        for part in parts {
            if part.hasSuffix("ms"), !sawMilliseconds, let value = Double(part.dropLast(2)), value >= 0, value.isFinite
            {
                milliseconds = value
                sawMilliseconds = true
            } else if part.hasSuffix("%"), !sawPercent, let value = Double(part.dropLast()), value >= 0, value.isFinite
            {
                percent = value
                sawPercent = true
            } else {
                return nil
            }
        }
        self.init(milliseconds: milliseconds, percent: percent)
    }
}

extension Substring {
    /// The text without leading and trailing `characters`.
    fileprivate func trimmingCharacters(in characters: String) -> String {
        var slice = self[...]
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
