/// Exact decimal arithmetic on JSON number text, for readers that keep numbers as text to avoid binary rounding.
package enum JSONNumber {
    /// The number times 10^`scale`, rounded to the nearest integer (halves away from zero); nil when the
    /// result does not fit in `Int64` or the text is not a JSON number.
    package static func scaled(_ text: String, by scale: Int) -> Int64? {
        var text = text
        return text.withUTF8 { scaled($0, by: scale) }
    }

    /// ``scaled(_:by:)-(String,_)`` for the UTF-8 bytes of a number.
    package static func scaled(_ utf8: UnsafeBufferPointer<UInt8>, by scale: Int) -> Int64? {
        guard let start = utf8.baseAddress else { return nil }
        let end = start + utf8.count
        guard let token = try? JSONGrammar.number(at: start, end: end), token.end == end else { return nil }
        let negative = start.pointee == UInt8(ascii: "-")
        var digits: [UInt8] = []
        for byte in UnsafeBufferPointer(start: start, count: token.fractionEnd - start) where JSONGrammar.isDigit(byte)
        {
            digits.append(byte - UInt8(ascii: "0"))
        }
        let fractionDigits = max(0, token.fractionEnd - token.integerEnd - 1)
        var exponent = 0
        if token.end > token.fractionEnd {
            var p = token.fractionEnd + 1
            let exponentNegative = p.pointee == UInt8(ascii: "-")
            if !JSONGrammar.isDigit(p.pointee) { p += 1 }
            while p < end {
                exponent = min(exponent * 10 + Int(p.pointee - UInt8(ascii: "0")), 100_000)
                p += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        // value = digits × 10^(exponent - fractionDigits); the result keeps `kept` leading digits (then zeros).
        if let firstNonZero = digits.firstIndex(where: { $0 != 0 }) {
            digits.removeFirst(firstNonZero)
        } else {
            return 0
        }
        let shift = exponent - fractionDigits + scale
        let kept = digits.count + shift
        guard kept >= 0 else { return 0 }
        var magnitude: UInt64 = 0
        for position in 0..<kept {
            let digit = position < digits.count ? UInt64(digits[position]) : 0
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if kept < digits.count, digits[kept] >= 5 {
            let (rounded, overflow) = magnitude.addingReportingOverflow(1)
            guard !overflow else { return nil }
            magnitude = rounded
        }
        if negative {
            guard magnitude <= Int64.min.magnitude else { return nil }
            return Int64(truncatingIfNeeded: 0 &- magnitude)
        }
        return Int64(exactly: magnitude)
    }
}
