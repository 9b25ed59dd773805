// peering-probe-bench: the benchmark executable driven by Scripts/bench.
//
//   peering-probe-bench throughput --url URL --probes N --concurrency C [--insecure] [--cacert FILE]
//   peering-probe-bench encode --samples N
//   peering-probe-bench prefixes [--prefixes 10000] [--lookups 20000000]
//   peering-probe-bench generate --samples N [--targets T] --path FILE|-   (synthetic NDJSON for the report
//                                                                          benchmark; T targets x 2 paths;
//                                                                          --out FILE is the same as --path)
//
// Each prints plain `key=value` lines that Scripts/bench reads and prints (generate --path - streams the NDJSON
// to standard output in 4 MiB writes and prints its lines on standard error; a closed pipe ends it with status 0).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// Writes `text` to standard error as it is (no buffering).
func printToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}

func fail(_ message: String) -> Never {
    printToStandardError("peering-probe-bench: \(message)\n")
    exit(2)
}

switch arguments.first {
case "throughput":
    guard let url = option("--url") else { fail("throughput needs --url") }
    let probes = option("--probes").flatMap { Int($0) } ?? 5_000
    let concurrency = option("--concurrency").flatMap { Int($0) } ?? 50
    print(
        ThroughputBenchmark(
            url: url, probes: probes, concurrency: concurrency,
            insecure: arguments.contains("--insecure"), caFile: option("--cacert")
        ).run())
case "prefixes":
    let prefixes = option("--prefixes").flatMap { Int($0) } ?? 10_000
    let lookups = option("--lookups").flatMap { Int($0) } ?? 20_000_000
    print(runPrefixBenchmark(prefixes: prefixes, lookups: lookups))
case "encode":
    let samples = option("--samples").flatMap { Int($0) } ?? 2_000_000
    print(runEncodeBenchmark(samples: samples))
case "generate":
    let samples = option("--samples").flatMap { Int($0) } ?? 2_000_000
    guard let path = option("--path") ?? option("--out") else { fail("generate needs --path FILE or --path -") }
    let targets = option("--targets").flatMap { Int($0) } ?? 10
    let result = generateSamples(samples: samples, targets: targets, path: path)
    if result.hasPrefix("error=") { fail(String(result.dropFirst("error=".count))) }
    if path == "-" { printToStandardError(result + "\n") } else { print(result) }
default:
    fail("usage: peering-probe-bench throughput|encode|prefixes|generate [options]")
}
