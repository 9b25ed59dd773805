public import CurlKit

extension ProbeConfig {
    /// The config with its targets replaced by one target per URL (`probe --url`), each named after its host;
    /// the config itself when `urls` is empty.
    public func replacingTargets(with urls: [CurlURL]) -> ProbeConfig {
        guard !urls.isEmpty else { return self }
        var config = self
        config.targets = urls.map { TargetConfig(name: $0.host, url: $0) }
        return config
    }

    /// Where `probe` writes: standard output for `-`, else the folder `out`, the config's `output.dir`, or
    /// ``OutputSettings/defaultDir``.
    public func outputDestination(out: String?) -> OutputDestination {
        out == "-" ? .standardOutput : .folder(out ?? output.dir ?? OutputSettings.defaultDir)
    }
}
