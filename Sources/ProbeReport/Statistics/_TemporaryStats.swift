// TEMPORARY stand-in until the statistics branch is merged; deleted then.
package enum Quantiles {
    package static func continuous(_ values: inout [UInt32], at quantiles: [Double]) -> [Double] {
        values.sort()
        return quantiles.map { q in
            let h = Double(values.count - 1) * q
            let lo = Int(h.rounded(.down))
            let hi = Int(h.rounded(.up))
            return Double(values[lo]) + (h - Double(lo)) * (Double(values[hi]) - Double(values[lo]))
        }
    }
    package static func continuous(_ values: inout [Double], at quantiles: [Double]) -> [Double] {
        values.sort()
        return quantiles.map { q in
            let h = Double(values.count - 1) * q
            let lo = Int(h.rounded(.down))
            let hi = Int(h.rounded(.up))
            return values[lo] + (h - Double(lo)) * (values[hi] - values[lo])
        }
    }
    package static func median(_ values: inout [Double]) -> Double { continuous(&values, at: [0.5])[0] }
}
package struct TemporaryTestResult { package var statistic: Double; package var pValue: Double }
package enum TemporaryRankTests {
    package static func mannWhitney(_ x: [Double], _ y: [Double]) -> TemporaryTestResult? { TemporaryTestResult(statistic: 0, pValue: 0.5) }
    package static func wilcoxon(_ d: [Double]) -> TemporaryTestResult? { TemporaryTestResult(statistic: 0, pValue: 0.5) }
}
package enum TemporaryBootstrap {
    package static func unpaired(_ x: [Double], _ y: [Double]) -> (low: Double, high: Double)? { nil }
    package static func paired(_ d: [Double]) -> (low: Double, high: Double)? { nil }
    package static func evenlySpaced<T>(_ values: [T], limit: Int) -> [T] { values }
}
