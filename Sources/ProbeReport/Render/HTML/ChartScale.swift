#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Maps data values to a 0...1 position along one chart axis, linearly or logarithmically, with "nice" tick
/// values (1, 2 and 5 times a power of ten) that bound the data.
struct ChartScale {
    /// How values map to positions.
    enum Kind {
        /// Equal distances for equal differences.
        case linear
        /// Equal distances for equal ratios.
        case logarithmic
    }

    /// How values map to positions.
    let kind: Kind
    /// The value at position 0.
    let lower: Double
    /// The value at position 1.
    let upper: Double
    /// Tick values, increasing, from `lower` to `upper`.
    let ticks: [Double]

    /// A linear scale over `minimum...maximum` widened to whole ticks, about `tickCount` of them.
    static func linear(from minimum: Double, to maximum: Double, tickCount: Int = 6) -> ChartScale {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if high < low { swap(&low, &high) }
        if high - low < 1e-9 {
            let pad = max(abs(high) * 0.1, 1)
            low -= pad
            high += pad
        }
        let step = niceStep((high - low) / Double(max(tickCount - 1, 1)))
        let first = (low / step).rounded(.down)
        let last = (high / step).rounded(.up)
        let ticks = stride(from: first, through: last, by: 1).map { $0 * step }
        return ChartScale(kind: .linear, lower: first * step, upper: last * step, ticks: ticks)
    }

    /// A logarithmic scale over `minimum...maximum` (both above 0) widened to the nearest 1, 2 or 5 times a
    /// power of ten, with 4 to 10 ticks.
    static func logarithmic(from minimum: Double, to maximum: Double) -> ChartScale {
        let low = max(minimum, 1e-6)
        let high = max(maximum, low * 1.000_001)
        let lower = niceValues(from: low, to: high, multipliers: [1, 2, 5]).last { $0 <= low * (1 + 1e-12) }
        let upper = niceValues(from: low, to: high, multipliers: [1, 2, 5]).first { $0 >= high * (1 - 1e-12) }
        let domainLow = lower ?? low
        let domainHigh = upper ?? high
        func ticks(_ multipliers: [Double]) -> [Double] {
            niceValues(from: domainLow, to: domainHigh, multipliers: multipliers)
                .filter { $0 >= domainLow * (1 - 1e-12) && $0 <= domainHigh * (1 + 1e-12) }
        }
        var chosen = ticks([1, 2, 5])
        if chosen.count > 10 { chosen = ticks([1]) }
        if chosen.count < 4 { chosen = ticks([1, 1.5, 2, 3, 5, 7]) }
        return ChartScale(kind: .logarithmic, lower: domainLow, upper: domainHigh, ticks: chosen)
    }

    /// The position of `value`, 0 at ``lower`` and 1 at ``upper`` (outside when the value is outside).
    func position(_ value: Double) -> Double {
        switch kind {
        case .linear:
            return upper > lower ? (value - lower) / (upper - lower) : 0.5
        case .logarithmic:
            let bottom = log10(lower)
            let top = log10(upper)
            return top > bottom ? (log10(max(value, lower * 1e-3)) - bottom) / (top - bottom) : 0.5
        }
    }

    /// A tick label: the shortest decimal text of the value (at most 4 decimals), thousands as `10k` from
    /// 10,000 up.
    static func label(_ value: Double) -> String {
        if abs(value) >= 10_000, (value / 1_000).rounded() == value / 1_000 {
            return label(value / 1_000) + "k"
        }
        for decimals in 0...4 {
            let text = DisplayText.fixed(value, decimals: decimals)
            if let parsed = Double(text), abs(parsed - value) <= 1e-9 * max(abs(value), 1e-6) { return text }
        }
        return DisplayText.fixed(value, decimals: 4)
    }

    /// The smallest of 1, 2, 5 times a power of ten that is at least `rough`.
    private static func niceStep(_ rough: Double) -> Double {
        let power = pow(10, (log10(rough)).rounded(.down))
        for multiplier in [1.0, 2, 5, 10] where multiplier * power >= rough * (1 - 1e-9) {
            return multiplier * power
        }
        return 10 * power
    }

    /// Every `multiplier × 10^k` from the one just below `low` to the one just above `high`, increasing.
    private static func niceValues(from low: Double, to high: Double, multipliers: [Double]) -> [Double] {
        var values: [Double] = []
        var exponent = Int((log10(low)).rounded(.down)) - 1
        let lastExponent = Int((log10(high)).rounded(.up)) + 1
        while exponent <= lastExponent {
            let power = pow(10, Double(exponent))
            for multiplier in multipliers { values.append(multiplier * power) }
            exponent += 1
        }
        return values.filter { $0 >= low / 10 && $0 <= high * 10 }.sorted()
    }
}
