/// A config that cannot be used, located as precisely as the loader can: the file, the line, and the key
/// path, so that the user can go straight to the mistake.
///
/// `description` reads `SOURCE:LINE: KEY: MESSAGE`, leaving out the parts that are unknown, for example
/// `/etc/peering-probe.yaml:14: targets[2].url: malformed URL 'https//x': ...`.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file path, or `<embedded default config>`.
    public var source: String
    /// The line (from 1) the problem is on; nil when it concerns the whole file.
    public var line: Int?
    /// The key path, like `targets[2].url` or `defaults.timeout`; nil when it concerns the whole file.
    public var key: String?
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    /// Makes an error.
    public init(source: String, line: Int? = nil, key: String? = nil, message: String) {
        self.source = source
        self.line = line
        self.key = key
        self.message = message
    }

    /// `SOURCE:LINE: KEY: MESSAGE`, leaving out missing parts.
    public var description: String {
        ConfigDiagnosticText.render(source: source, line: line, key: key, message: message)
    }
}

/// A finding in a config that is valid but probably not what the user meant (for example a `timeout` shorter
/// than `connect_timeout`); `config check` shows them, probing goes on.
///
/// Same shape and `description` format as ``ConfigError``.
public struct ConfigWarning: Sendable, Hashable, CustomStringConvertible {
    /// The file path, or `<embedded default config>`.
    public var source: String
    /// The line (from 1) the finding is on; nil when it concerns the whole file.
    public var line: Int?
    /// The key path, like `targets[2].timeout`; nil when it concerns the whole file.
    public var key: String?
    /// What looks wrong and what happens because of it.
    public var message: String

    /// Makes a warning.
    public init(source: String, line: Int? = nil, key: String? = nil, message: String) {
        self.source = source
        self.line = line
        self.key = key
        self.message = message
    }

    /// `SOURCE:LINE: KEY: MESSAGE`, leaving out missing parts.
    public var description: String {
        ConfigDiagnosticText.render(source: source, line: line, key: key, message: message)
    }
}

/// The one text format of config errors and warnings.
enum ConfigDiagnosticText {
    /// `SOURCE:LINE: KEY: MESSAGE` without the parts that are nil or empty; control characters in any part (a
    /// CR or ESC in a bad URL or header name) are escaped (``MessageText/escaped(_:)``).
    static func render(source: String, line: Int?, key: String?, message: String) -> String {
        var head = MessageText.escaped(source)
        if let line { head += ":\(line)" }
        if let key, !key.isEmpty { head += ": \(MessageText.escaped(key))" }
        return head + ": " + MessageText.escaped(message)
    }
}
