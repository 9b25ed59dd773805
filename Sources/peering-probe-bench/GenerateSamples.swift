import Foundation
import ProbeCore
import TestSupport

/// Writes `samples` synthetic samples as NDJSON to `path`: `targets` targets (10: the 20 default groups of the
/// report benchmark) x 2 paths (Peering Service and internet) x 5 samples per round, a round a minute. Fewer
/// targets make longer series from the same number of samples (3 targets: 6 series).
func generateSamples(samples: Int, targets: Int = 10, path: String) -> String {
    let perRound = max(1, targets) * 2 * 5
    var synthesizer = SampleSynthesizer.twoPaths(
        rounds: max(1, (samples + perRound - 1) / perRound), count: 5, seed: 2026)
    synthesizer.targets = (0..<max(1, targets)).map { "target-\($0)" }
    guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path)
    else { return "error=cannot write \(path)" }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(8 << 20)
    let encoder = SampleEncoder()
    var written = 0
    var bytes = 0
    synthesizer.forEachSample { sample in
        guard written < samples else { return }
        encoder.encode(sample, into: &buffer)
        written += 1
        if buffer.count >= 4 << 20 {
            file.write(Data(buffer))
            bytes += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
    }
    file.write(Data(buffer))
    bytes += buffer.count
    try? file.close()
    return "samples=\(written)\nbytes=\(bytes)"
}
