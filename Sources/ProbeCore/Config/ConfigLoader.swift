import Yams

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

/// Reads and validates the YAML config (keys: README.md and DESIGN.md, "Configuration keys").
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
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, yaml: yaml, source: source)
        } catch {
            throw ConfigError(source: source, message: "invalid YAML: \(error)")
        }
        guard let root, !ConfigReader.isNull(root) else {
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

    /// A ``ConfigError`` for what libyaml refused, at libyaml's line.
    static func syntaxError(_ error: YamlError, yaml: String, source: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if problem == "but found another document" {
                return ConfigError(
                    source: source, line: mark.line,
                    message: "the config must be a single YAML document; remove the second '---' and what follows"
                )
            }
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) on line \(context.mark.line))" }
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let tabProblem = problem.contains("tab") || problem.contains("cannot start any token")
            if tabProblem, mark.line >= 1, mark.line <= lines.count, lines[mark.line - 1].contains("\t") {
                message += "; indent with spaces, YAML does not allow tabs"
            }
            return ConfigError(source: source, line: mark.line, message: message)
        case .reader(let problem, let offset, _, _):
            let line = offset.map { offset in 1 + yaml.prefix(offset).reduce(0) { $1.isNewline ? $0 + 1 : $0 } }
            return ConfigError(source: source, line: line, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark.line
            if let second = secondOccurrence(of: key, after: context.mark, in: yaml) {
                return ConfigError(
                    source: source, line: second,
                    message: "duplicate key '\(key)', already set on line \(first); a key may appear only once here"
                )
            }
            return ConfigError(source: source, line: first,
                               message: "duplicate key '\(key)'; a key may appear only once in a mapping")
        default:
            return ConfigError(source: source, message: "invalid YAML: \(error)")
        }
    }

    /// Best effort: the line of the second `key:` in the block mapping whose first `key:` is at `mark`; nil when it
    /// is not found (flow mappings, keys in quotes).
    private static func secondOccurrence(of key: String, after mark: Mark, in yaml: String) -> Int? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = mark.column - 1
        var index = mark.line
        while index < lines.count {
            let line = Array(lines[index].unicodeScalars)
            index += 1
            let leading = line.prefix { $0 == " " }.count
            if leading == line.count || line[leading] == "#" { continue }
            if leading < indent { return nil }
            guard leading == indent else { continue }
            let rest = String(String.UnicodeScalarView(line[leading...]))
            guard rest.hasPrefix(key) else { continue }
            let after = rest.dropFirst(key.count).drop { $0 == " " }
            if after.first == ":" { return index }
        }
        return nil
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
