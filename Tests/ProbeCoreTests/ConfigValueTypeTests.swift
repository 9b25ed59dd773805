import ProbeCore
import Testing

/// Durations and sizes read the same on the command line as in the config file.
@Suite("config value types")
struct ConfigValueTypeTests {
    @Test("durations need a unit; a time limit also takes bare seconds, more than zero")
    func timeSpans() {
        #expect(TimeSpan("100ms")?.duration == .milliseconds(100))
        #expect(TimeSpan("1.5s")?.duration == .milliseconds(1_500))
        #expect(TimeSpan("2d")?.description == "2d")
        #expect(TimeSpan("100") == nil)
        #expect(TimeSpan("inf") == nil)
        #expect(TimeSpan(limit: "10")?.duration == .seconds(10))
        #expect(TimeSpan(limit: "2.5")?.duration == .milliseconds(2_500))
        #expect(TimeSpan(limit: "1500ms")?.duration == .milliseconds(1_500))
        #expect(TimeSpan(limit: "0") == nil)
        #expect(TimeSpan(limit: "0ms") == nil)
        #expect(TimeSpan(limit: "-1") == nil)
        #expect(TimeSpan(limit: "inf") == nil)
        #expect(TimeSpan(limit: "1e400") == nil)
        #expect(TimeSpan(limit: "9223372036854775807") == nil)
    }

    @Test("sizes in bytes, binary and decimal units")
    func byteSizes() {
        #expect(ByteSize("512")?.bytes == 512)
        #expect(ByteSize("64KiB")?.bytes == 65_536)
        #expect(ByteSize("5MB")?.bytes == 5_000_000)
        #expect(ByteSize("2GiB")?.description == "2GiB")
        #expect(ByteSize("1000")?.description == "1000")
        #expect(ByteSize("1.5") == nil)
        #expect(ByteSize("lots") == nil)
        #expect(ByteSize("99999999TiB") == nil)
    }
}
