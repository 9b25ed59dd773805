/// A validated config together with the non-fatal findings about it, for `config check`.
public struct LoadedConfig: Sendable {
    /// The config, every default filled in.
    public var config: ProbeConfig
    /// Findings that do not stop probing (for example a `timeout` shorter than `connect_timeout`), in file order.
    public var warnings: [ConfigWarning]

    /// Makes a result.
    public init(config: ProbeConfig, warnings: [ConfigWarning]) {
        self.config = config
        self.warnings = warnings
    }
}

/// Reads and validates the YAML config (its keys: the README, section "Configuration").
///
/// The YAML is walked node by node rather than decoded, so that every refusal names the file, the line and the
/// key path, and says what was expected. Unknown keys are errors (a misspelt key would otherwise be silently
/// ignored), with a "did you mean" when a known key is close.
public enum ConfigLoader {
    /// Loads a config from YAML text; `source` names it in messages (a path, or `<embedded default config>`).
    public static func load(yaml: String, source: String) throws(ConfigError) -> ProbeConfig {
        try loadWithWarnings(yaml: yaml, source: source).config
    }

    /// Loads the config file at `path`; an unreadable file is a ``ConfigError`` naming the file and the reason.
    public static func load(path: String) throws(ConfigError) -> ProbeConfig {
        try loadWithWarnings(path: path).config
    }

    /// Like ``load(yaml:source:)``, and also returns the warnings.
    public static func loadWithWarnings(yaml: String, source: String) throws(ConfigError) -> LoadedConfig {
        let root: YAMLNode?
        do throws(YAMLError) {
            root = try YAMLDocument.compose(yaml)
        } catch {
            throw syntaxError(error, yaml: yaml, source: source)
        }
        guard let root, !root.isNull else {
            throw ConfigError(
                source: source, message: "the config is empty; it needs at least a 'targets' list with one 'url'"
            )
        }
        var reader = ConfigReader(source: source)
        let config = try reader.config(from: root)
        return LoadedConfig(config: config, warnings: reader.warnings)
    }

    /// Like ``load(path:)``, and also returns the warnings.
    public static func loadWithWarnings(path: String) throws(ConfigError) -> LoadedConfig {
        let read: [UInt8]?
        do {
            read = try FileIO.readFile(path)
        } catch {
            throw ConfigError(source: path, message: "cannot read the config file: \(error.reason)")
        }
        guard let bytes = read else {
            throw ConfigError(source: path, message: "cannot read the config file: No such file or directory")
        }
        if let line = firstInvalidUTF8Line(bytes) {
            throw ConfigError(source: path, line: line, message: "the file is not UTF-8 text (a config is YAML text)")
        }
        return try loadWithWarnings(yaml: String(decoding: bytes, as: UTF8.self), source: path)
    }

    // MARK: - Helpers

    /// A ``ConfigError`` for what libyaml (or the composer over it) refused, at libyaml's line.
    static func syntaxError(_ error: YAMLError, yaml: String, source: String) -> ConfigError {
        switch error {
        case .multipleDocuments(let mark):
            return ConfigError(
                source: source, line: mark.line,
                message: "the config must be a single YAML document; remove the second '---' and what follows"
            )
        case .syntax(let problem, let mark, let context, let contextMark):
            var message = "invalid YAML: \(problem)"
            if let context, let contextMark { message += " (\(context) on line \(contextMark.line))" }
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let tabProblem = problem.contains("tab") || problem.contains("cannot start any token")
            if tabProblem, mark.line >= 1, mark.line <= lines.count, lines[mark.line - 1].contains("\t") {
                message += "; indent with spaces, YAML does not allow tabs"
            }
            return ConfigError(source: source, line: mark.line, message: message)
        case .reader(let problem, let offset):
            let before = String(decoding: yaml.utf8.prefix(offset), as: UTF8.self)
            let line = 1 + before.reduce(0) { $1.isNewline ? $0 + 1 : $0 }
            return ConfigError(source: source, line: line, message: "invalid YAML: \(problem)")
        case .duplicateKey(let key, let first, let second):
            if second.line > first.line {
                let message =
                    "duplicate key '\(key)', already set on line \(first.line);"
                    + " a key may appear only once here"
                return ConfigError(source: source, line: second.line, message: message)
            }
            return ConfigError(
                source: source, line: first.line,
                message: "duplicate key '\(key)'; a key may appear only once in a mapping")
        case .memory:
            return ConfigError(source: source, message: "invalid YAML: Memory error")
        }
    }

    /// The line (from 1) of the first byte that is not valid UTF-8; nil when all of `bytes` is valid.
    private static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var line = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") { line += 1 }
            case .emptyInput:
                return nil
            case .error:
                return line
            }
        }
    }
}
