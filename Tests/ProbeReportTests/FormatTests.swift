import Testing

@testable import ProbeReport

@Suite("Number formatting")
struct FormatTests {
    @Test("fixed decimals round half away from zero and never print -0")
    func fixedDecimals() {
        #expect(Format.fixed(12.345, decimals: 1) == "12.3")
        #expect(Format.fixed(0.125, decimals: 2) == "0.13")
        #expect(Format.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(Format.fixed(-1.5, decimals: 0) == "-2")
        #expect(Format.fixed(7, decimals: 3) == "7.000")
    }

    @Test("p-values and signed differences read as people quote them")
    func peopleFormats() {
        #expect(Format.pValue(0.0004) == "p < 0.001")
        #expect(Format.pValue(0.0042) == "p = 0.004")
        #expect(Format.signedMilliseconds(-12.44) == "-12.4")
        #expect(Format.signedMilliseconds(1.254) == "+1.25")
        #expect(Format.signedPercent(3.14) == "+3.1%")
    }
}
