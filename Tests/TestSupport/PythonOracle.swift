public import Foundation

/// Runs a Python script that computes the expected answer with a trusted library (DuckDB, SciPy): the
/// oracles of the report tests.
///
/// The interpreter is `PEERING_PROBE_ORACLE_PYTHON` when set (Scripts/test sets it to the interpreter it
/// installed `duckdb` and `scipy` into), else `python3` on the PATH. A missing library fails the test with
/// the interpreter's own message: an oracle test never passes without its oracle.
public enum PythonOracle {
    /// Runs `script` with `arguments`, feeding `input` on standard input; returns standard output.
    public static func run(script: String, arguments: [String] = [], input: Data = Data(), timeout: Double = 120)
        throws -> String
    {
        let process = Process()
        if let chosen = ProcessInfo.processInfo.environment["PEERING_PROBE_ORACLE_PYTHON"], !chosen.isEmpty {
            process.executableURL = URL(fileURLWithPath: chosen)
            process.arguments = [script] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script] + arguments
        }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { outData = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = stderr.fileHandleForReading.readDataToEndOfFile() }
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw TestSupportError("oracle \(script) did not finish in \(timeout) s")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError(
                "oracle \(script) failed (status \(process.terminationStatus)): "
                    + String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: outData, as: UTF8.self)
    }

    /// The path of a script in the `Oracles` folder of the calling test target (`Tests/<Target>/Oracles`).
    public static func script(_ name: String, filePath: String = #filePath) -> String {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Oracles")
            .appendingPathComponent(name).path
    }
}
