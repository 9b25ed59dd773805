import Foundation
import ProbeCore
import Testing

/// One definition of batch file names, for the writer and the report's input.
@Suite("Batch file names")
struct BatchFileNameTests {
    @Test("A batch is ID.ndjson while finished and .ID.ndjson.tmp-PID-RANDOM, a name of its own, while written")
    func names() throws {
        #expect(BatchFileName.name(id: "a-20261128T000000Z-1") == "a-20261128T000000Z-1.ndjson")
        let temporary = BatchFileName.temporaryName(of: "a-20261128T000000Z-1.ndjson")
        let pid = ProcessInfo.processInfo.processIdentifier
        #expect(temporary.hasPrefix(".a-20261128T000000Z-1.ndjson.tmp-\(pid)-"), "\(temporary)")
        #expect(try #require(temporary.split(separator: "-").last).count == 16)
        let many = Set((0..<100).map { _ in BatchFileName.temporaryName(of: "a-1.ndjson") })
        #expect(many.count == 100, "no two writers share a temporary name")
        #expect(BatchFileName.finishedName(ofTemporary: temporary) == "a-20261128T000000Z-1.ndjson")
        #expect(BatchFileName.finishedName(ofTemporary: ".a-1.ndjson.tmp-12-00ff") == "a-1.ndjson")
        #expect(BatchFileName.finishedName(ofTemporary: ".a-1.ndjson.tmp-x-00ff") == nil)
        #expect(BatchFileName.finishedName(ofTemporary: ".a-1.ndjson.tmp-12-") == nil)
        #expect(BatchFileName.finishedName(ofTemporaryFile: ".paths.state.tmp-12-00ff") == "paths.state")
        #expect(BatchFileName.finishedName(ofTemporary: ".paths.state.tmp-12-00ff") == nil)
        #expect(BatchFileName.firstSeq(ofBatch: "a-b-20261128T000000Z-42.ndjson.gz") == 42)
        #expect(BatchFileName.firstSeq(ofBatch: "a-20261128T000000Z-r00ff00ff.ndjson") == nil)
        #expect(BatchFileName.finishedName(ofTemporary: ".a-1.ndjson.tmp") == "a-1.ndjson")
        #expect(BatchFileName.finishedName(ofTemporary: "a-1.ndjson.tmp") == nil)
        #expect(BatchFileName.finishedName(ofTemporary: ".a-1.ndjson") == nil)
        #expect(BatchFileName.finishedName(ofTemporary: ".state.tmp") == nil)
    }

    @Test("Reports read .ndjson, .jsonl and their .gz; hidden and temporary files are not batches")
    func batchFiles() {
        for name in ["a.ndjson", "a.jsonl", "a.ndjson.gz", "a.jsonl.gz"] {
            #expect(BatchFileName.isBatchFile(name), "\(name)")
        }
        for name in [".a.ndjson", ".a.ndjson.tmp", "a.ndjson.tmp", "a.json", "a.gz", "notes.txt", "state"] {
            #expect(!BatchFileName.isBatchFile(name), "\(name)")
        }
        #expect(BatchFileName.isBatchFile(BatchFileName.name(id: "x")))
        #expect(!BatchFileName.isBatchFile(BatchFileName.temporaryName(of: BatchFileName.name(id: "x"))))
    }
}
