import ArgumentParser
import ProbeCore

/// The `--config PATH` option shared by the commands that read a config; without it, the embedded
/// default config (the shipped `Config/peering-probe.yaml`) is used.
struct ConfigSource: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Config file (YAML). Default: the embedded default config.",
            valueName: "path"))
    var config: String?

    /// Loads and validates the config, printing its warnings; a bad config throws a ``ConfigError`` (exit
    /// status 2, with file, line and key).
    func load() throws(ConfigError) -> ProbeConfig {
        try Self.load(path: config)
    }

    /// Loads `path`, or the embedded default config when nil, handing each warning to `warn` (printed on
    /// standard error by default).
    static func load(
        path: String?, warn: (String) -> Void = { Terminal.warning($0) }
    ) throws(ConfigError) -> ProbeConfig {
        let loaded =
            if let path {
                try ConfigLoader.loadWithWarnings(path: path)
            } else {
                try ConfigLoader.loadWithWarnings(yaml: EmbeddedConfig.text, source: EmbeddedConfig.sourceName)
            }
        for warning in loaded.warnings { warn("\(warning)") }
        return loaded.config
    }
}

/// The default config compiled into the binary from `Config/peering-probe.yaml`.
enum EmbeddedConfig {
    /// How messages name it.
    static let sourceName = "<embedded default config>"
    /// The YAML text.
    static var text: String { String(decoding: PackageResources.peering_probe_yaml, as: UTF8.self) }
}
