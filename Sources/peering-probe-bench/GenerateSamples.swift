import ProbeCore
import TestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes `samples` synthetic samples as NDJSON to `path` (`-`: standard output): `targets` targets (10: the 20
/// default groups of the report benchmark) x 2 paths (Peering Service and internet) x 5 samples per round, a round a
/// minute. Fewer targets make longer series from the same number of samples (3 targets: 6 series).
///
/// The samples are encoded into a 4 MiB buffer that is written whenever it fills, so memory stays flat whatever
/// `samples` is and `peering-probe report -` can read a stream larger than the disk. When the reader of standard
/// output goes away (a closed pipe), generation stops quietly and the process exits with status 0.
///
/// Returns the `key=value` lines to print (`samples=` and `bytes=` written), or an `error=` line.
func generateSamples(samples: Int, targets: Int = 10, path: String) -> String {
    let perRound = max(1, targets) * 2 * 5
    var synthesizer = SampleSynthesizer.twoPaths(
        rounds: max(1, (samples + perRound - 1) / perRound), count: 5, seed: 2026)
    synthesizer.targets = (0..<max(1, targets)).map { "target-\($0)" }
    let toStandardOutput = path == "-"
    let descriptor: Int32
    if toStandardOutput {
        // A closed pipe must end the stream with EPIPE, not kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        descriptor = STDOUT_FILENO
    } else {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return "error=cannot write \(path): \(String(cString: strerror(errno)))" }
    }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(8 << 20)
    let encoder = SampleEncoder()
    var written = 0
    var bytes = 0
    var failure: String?
    synthesizer.forEachSample { sample in
        guard written < samples, failure == nil else { return }
        encoder.encode(sample, into: &buffer)
        written += 1
        if buffer.count >= 4 << 20 {
            failure = writeAll(buffer, to: descriptor)
            if failure == "EPIPE" { exit(0) }  // the reader has all it wanted
            bytes += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
    }
    if failure == nil {
        failure = writeAll(buffer, to: descriptor)
        bytes += buffer.count
    }
    if !toStandardOutput { close(descriptor) }
    if failure == "EPIPE" { exit(0) }
    if let failure { return "error=cannot write \(path): \(failure)" }
    return "samples=\(written)\nbytes=\(bytes)"
}

/// Writes every byte of `bytes` to `descriptor`, retrying short writes and interrupted calls. Returns nil when
/// done, "EPIPE" when the reader has gone, or the error's text.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
    bytes.withUnsafeBytes { raw -> String? in
        var offset = 0
        while offset < raw.count {
            let result = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if result < 0 {
                if errno == EINTR { continue }
                return errno == EPIPE ? "EPIPE" : String(cString: strerror(errno))
            }
            offset += result
        }
        return nil
    }
}
