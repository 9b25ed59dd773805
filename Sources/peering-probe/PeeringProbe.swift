import ArgumentParser

/// `peering-probe`: is Azure Peering Service faster here, by how much, and how sure are we?
///
/// The command line only parses arguments and wires the modules together; the work is in ProbeCore.
@main
struct PeeringProbe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peering-probe",
        abstract:
            "Measure HTTP(S) latency to Microsoft over each internet path, tagged with its Peering Service status.",
        discussion: """
            Exit codes: 0 the job ran and wrote everything (failed probes are data); 1 `probe --strict` and a \
            sample was not ok; 2 bad usage, config or input; 3 an environment fault (output folder not \
            writable, libcurl cannot start).
            """,
        version: "0.1.0",
        subcommands: [Probe.self, Report.self, Config.self],
        defaultSubcommand: nil
    )

    /// Parses and runs, mapping every failure to the exit codes of DESIGN.md: usage errors are 2, not
    /// ArgumentParser's default 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Terminal.error(fullMessage(for: error))
                Terminal.error("Run 'peering-probe help' for usage.")
                Terminal.exit(.usage)
            }
            exit(withError: error)
        }
    }
}
