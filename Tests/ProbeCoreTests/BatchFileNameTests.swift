import ProbeCore
import Testing

/// One definition of batch file names, for the writer and the report's input.
@Suite("Batch file names")
struct BatchFileNameTests {
    @Test("A batch is ID.ndjson while finished and .ID.ndjson.tmp while written")
    func names() {
        #expect(BatchFileName.name(id: "a-20261128T000000Z-1") == "a-20261128T000000Z-1.ndjson")
        #expect(BatchFileName.temporaryName(id: "a-20261128T000000Z-1") == ".a-20261128T000000Z-1.ndjson.tmp")
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
        #expect(!BatchFileName.isBatchFile(BatchFileName.temporaryName(id: "x")))
    }
}
