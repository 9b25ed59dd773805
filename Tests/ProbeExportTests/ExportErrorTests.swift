import ProbeExport
import Testing

@Suite("ExportError")
struct ExportErrorTests {
    @Test("usage faults exit 2, environment faults exit 3, and both print their message as it is")
    func faultKinds() {
        let usage = ExportError.usage("no sink named 'fleet'")
        let environment = ExportError.environment("cannot write the export state")
        #expect(!usage.isEnvironmentFault)
        #expect(environment.isEnvironmentFault)
        #expect(usage.description == "no sink named 'fleet'")
        #expect(environment.description == "cannot write the export state")
    }
}
