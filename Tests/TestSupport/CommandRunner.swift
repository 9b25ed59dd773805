public import Foundation

/// Runs the built `peering-probe` executable as a user would, for the command-line tests.
///
/// The executable is found next to the test bundle (`.build/<config>/peering-probe`), so the tests run the
/// binary that `swift build --build-tests` just made.
public struct CommandRunner: Sendable {
    /// What one run produced.
    public struct Result: Sendable {
        /// The exit status.
        public let status: Int32
        /// Everything written to standard output.
        public let standardOutput: String
        /// Everything written to standard error.
        public let standardError: String
        /// The signal that ended the process, nil when it exited (then ``status`` is its exit status; when a
        /// signal ended it, ``status`` is the signal's number).
        public var uncaughtSignal: Int32? = nil

        /// Standard output split into non-empty lines.
        public var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
    }

    /// The executable's path.
    public let executable: String

    /// Runs the executable at `path` (another program a test needs, such as a browser).
    public init(path: String) {
        executable = path
    }

    /// Finds `name` in the build folder of the running tests.
    public init(name: String = "peering-probe") throws {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) {
                executable = candidate
                return
            }
            folder = folder.deletingLastPathComponent()
        }
        throw TestSupportError(
            "cannot find the \(name) executable near \(CommandLine.arguments[0]); "
                + "run `swift build --build-tests` first")
    }

    /// Runs the executable with `arguments` in `directory`, feeding `standardInput` when given (else
    /// /dev/null), and waits for it (at most `timeout` seconds).
    public func run(
        _ arguments: [String], in directory: String? = nil, standardInput: Data? = nil, timeout: Double = 60
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let input = Pipe()
        process.standardInput = standardInput == nil ? FileHandle.nullDevice : input
        try process.run()
        if let standardInput {
            DispatchQueue.global().async {
                try? input.fileHandleForWriting.write(contentsOf: standardInput)
                try? input.fileHandleForWriting.close()
            }
        }
        // Read both pipes while the process runs, so a large output cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { outData = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = error.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) did not finish in \(timeout) s")
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }

    /// Starts the executable with `arguments` as a shell would (no signal blocked, standard input /dev/null)
    /// and returns at once, so that the test can signal it while it runs; ``RunningCommand/wait(timeout:)``
    /// collects the result. `environment` adds to (or replaces in) the test process's environment.
    public func start(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningCommand {
        try RunningCommand(executable: executable, arguments: arguments, environment: environment)
    }

    /// A fresh temporary folder for a test's output; removed by the caller.
    public static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "peering-probe-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
