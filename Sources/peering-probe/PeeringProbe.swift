import ArgumentParser
import ProbeCore

/// `peering-probe`: is Azure Peering Service faster here, by how much, and how sure are we?
///
/// The command line only parses arguments and wires the modules together; the work is in ProbeCore and
/// ProbeReport. Each subcommand is a nested type whose `run()` throws; ``main()`` is the one exit point.
@main
struct PeeringProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peering-probe",
        abstract:
            "Measure HTTP(S) latency to Microsoft over each internet path, tagged with its Peering Service status.",
        discussion: """
            Exit codes: 0 the job ran and wrote everything (failed probes are data), or `run` shut down \
            cleanly; 1 `probe --strict` and a sample was not ok; 2 bad usage, config or input; 3 an \
            environment fault (output folder not writable or owned by a running `run`, libcurl cannot start, \
            standard output closed for `--out -`, the metrics address in use); 130 or 143 `probe` stopped by \
            SIGINT or SIGTERM, after writing the samples taken (the rest as cancelled).
            """,
        version: "0.1.0",
        subcommands: [Probe.self, Run.self, Report.self, Config.self],
        defaultSubcommand: nil
    )

    /// Parses and runs the command, then maps whatever it threw to the documented exit status, printing the
    /// message once: the commands' own failures and the modules' errors through ``CommandFailure``, usage
    /// errors as status 2 (not ArgumentParser's 64), help and version as 0. First of all it puts `/dev/null` on
    /// any of descriptors 0-2 that is closed (``StandardStreams``), so no file or socket can take their numbers.
    static func main() async {
        _ = StandardStreams.closedAtStart
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if let failure = CommandFailure(error) {
                if let message = failure.message { Terminal.error("peering-probe: \(message)") }
                Terminal.exit(failure.status)
            }
            if exitCode(for: error) == .validationFailure {
                // ArgumentParser quotes the bad value as given: show control characters in it as escapes.
                let lines = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false)
                Terminal.error(lines.map { MessageText.escaped(String($0)) }.joined(separator: "\n"))
                Terminal.error("Run 'peering-probe help' for usage.")
                Terminal.exit(.usage)
            }
            exit(withError: error)
        }
    }
}
