import Testing

@testable import ProbeReport

@Suite("Display text")
struct DisplayTextTests {
    @Test("fixed decimals round half away from zero and never print -0")
    func fixedDecimals() {
        #expect(DisplayText.fixed(12.345, decimals: 1) == "12.3")
        #expect(DisplayText.fixed(0.125, decimals: 2) == "0.13")
        #expect(DisplayText.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(DisplayText.fixed(-1.5, decimals: 0) == "-2")
        #expect(DisplayText.fixed(7, decimals: 3) == "7.000")
    }

    @Test("p-values and signed differences read as people quote them")
    func peopleFormats() {
        #expect(DisplayText.pValue(0.0004) == "p < 0.001")
        #expect(DisplayText.pValue(0.001) == "p = 0.001")
        #expect(DisplayText.pValue(0.0042) == "p = 0.004")
        #expect(DisplayText.pValue(0.0046) == "p = 0.005")
        #expect(DisplayText.pValue(0.05) == "p = 0.050")
        #expect(DisplayText.pValue(1) == "p = 1.000")
        #expect(DisplayText.signedMilliseconds(-12.44) == "-12.4")
        #expect(DisplayText.signedMilliseconds(1.254) == "+1.25")
        #expect(DisplayText.signedPercent(3.14) == "+3.1%")
    }

    @Test("UTC times and durations: the text renderers keep both units, the HTML page rounds to the larger")
    func timesAndDurations() {
        let start: Int64 = 1_795_852_800_000_000  // 2026-11-28 08:00:00 UTC
        #expect(DisplayText.dateTime(start + 3_000_000) == "2026-11-28 08:00:03")
        #expect(DisplayText.dateMinute(start + 3_000_000) == "2026-11-28 08:00")
        #expect(DisplayText.span(from: start, to: start + 390 * 60_000_000) == "2026-11-28 08:00 – 14:30 UTC")
        #expect(DisplayText.duration(microseconds: 750_000_000) == "12 min 30 s")
        #expect(DisplayText.shortDuration(microseconds: 750_000_000) == "12 min")
        #expect(DisplayText.duration(microseconds: 3 * 86_400_000_000) == "3 d 0 h")
        #expect(DisplayText.shortDuration(microseconds: 3 * 86_400_000_000) == "3 d")
        #expect(DisplayText.bucket(5 * DisplayText.microsecondsPerMinute) == "5-minute")
        #expect(DisplayText.millisecondsWithUnit(41.24) == "41.2 ms")
        #expect(DisplayText.millisecondsWithUnit(nil) == "—")
    }
}
