import ArgumentParser
import ProbeCore

extension PeeringProbe {
    /// `peering-probe config`: configuration tools.
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with configuration files.",
            subcommands: [Check.self]
        )

        /// `peering-probe config check [PATH]`: validate and show the resolved config, with no network use.
        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Validate a config (default: the embedded one) and print what it resolves to.",
                discussion: "Uses no network. Exit status 2 when the config is invalid, with file, line and key."
            )

            @Argument(
                help: ArgumentHelp(
                    "Config file to check. Default: the embedded default config.",
                    valueName: "path"))
            var path: String?

            func run() throws {
                let config = try ConfigSource.load(path: path)
                let summary = ConfigSummary(config: config)
                for warning in summary.warnings { Terminal.warning(warning) }
                Terminal.print(summary.render())
            }
        }
    }
}
