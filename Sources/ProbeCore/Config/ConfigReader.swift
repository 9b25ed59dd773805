/// One `key: value` pair of a YAML mapping, with the key path it sits at.
struct ConfigEntry {
    /// The key as written.
    var name: String
    /// The full key path, like `targets[2].timeout`.
    var path: String
    /// The key's node (its line is where unknown keys are reported).
    var keyNode: YAMLNode
    /// The value's node.
    var value: YAMLNode

    /// The line of the value, or of the key when the value is empty (an empty value has no place of its own).
    var line: Int? {
        ConfigReader.isNull(value) ? keyNode.mark.line : value.mark.line
    }
}

/// The keys one mapping of the config may hold, and what to tell the user about keys it may not.
struct ConfigKeys: Sendable {
    /// Keys this mapping understands, in documentation order.
    var known: [String]
    /// Keys that are part of the design but not implemented yet: refused with their own message.
    var unsupported: [String] = []
    /// Keys that belong somewhere else, with the advice to give.
    var elsewhere: [String: String] = [:]
}

/// Reads the YAML node tree of one config, turning every refusal into a ``ConfigError`` that names the source,
/// the line and the key path, and collecting warnings.
struct ConfigReader: Sendable {
    /// The file path or `<embedded default config>`.
    let source: String
    /// Non-fatal findings so far, in file order.
    var warnings: [ConfigWarning] = []

    /// Makes a reader for `source`.
    init(source: String) {
        self.source = source
    }

    // MARK: - Diagnostics

    /// An error at `line` and `key`.
    func error(_ message: String, line: Int?, key: String?) -> ConfigError {
        ConfigError(source: source, line: line, key: key, message: message)
    }

    /// An error about `entry`'s value.
    func error(_ message: String, at entry: ConfigEntry) -> ConfigError {
        error(message, line: entry.line, key: entry.path)
    }

    /// Records a warning.
    mutating func warn(_ message: String, line: Int?, key: String?) {
        warnings.append(ConfigWarning(source: source, line: line, key: key, message: message))
    }

    /// How a node reads in a message: `'abc'`, `an empty value`, `a list`, `a mapping`.
    static func describe(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let scalar):
            return isNull(node) ? "an empty value" : "'\(scalar.text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// True for `~`, `null` or nothing at all, written without quotes.
    static func isNull(_ node: YAMLNode) -> Bool {
        node.isNull
    }

    // MARK: - Mappings

    /// The entries of the mapping `node` at `path`, in file order, after checking that every key is one of
    /// `keys`. A null node (a section whose lines are all commented out) is an empty mapping.
    func entries(of node: YAMLNode, path: String, keys: ConfigKeys, expected: String) throws(ConfigError)
        -> [ConfigEntry]
    {
        if Self.isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            throw error(
                "expected \(expected), got \(Self.describe(node))", line: node.mark.line, key: nilIfEmpty(path)
            )
        }
        var out: [ConfigEntry] = []
        for (keyNode, value) in mapping.pairs {
            guard case .scalar(let scalar) = keyNode else {
                throw error(
                    "expected a key name, got \(Self.describe(keyNode))", line: keyNode.mark.line,
                    key: nilIfEmpty(path))
            }
            let name = scalar.text
            let entryPath = Self.child(path, name)
            if !keys.known.contains(name) {
                throw error(
                    Self.unknownKeyMessage(name, keyNode: keyNode, keys: keys), line: keyNode.mark.line,
                    key: entryPath)
            }
            out.append(ConfigEntry(name: name, path: entryPath, keyNode: keyNode, value: value))
        }
        return out
    }

    /// The entries of a free-form mapping (header names), with only the keys' type checked.
    func freeEntries(of node: YAMLNode, path: String, expected: String) throws(ConfigError) -> [ConfigEntry] {
        if Self.isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            throw error("expected \(expected), got \(Self.describe(node))", line: node.mark.line, key: path)
        }
        var out: [ConfigEntry] = []
        for (keyNode, value) in mapping.pairs {
            guard case .scalar(let scalar) = keyNode, !Self.isNull(keyNode) else {
                throw error("expected a name, got \(Self.describe(keyNode))", line: keyNode.mark.line, key: path)
            }
            out.append(
                ConfigEntry(
                    name: scalar.text, path: Self.child(path, scalar.text), keyNode: keyNode,
                    value: value))
        }
        return out
    }

    /// The items of the list `node` at `path`; a null node is an empty list.
    func items(of node: YAMLNode, path: String, expected: String) throws(ConfigError) -> [ConfigEntry] {
        if Self.isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            throw error("expected \(expected), got \(Self.describe(node))", line: node.mark.line, key: path)
        }
        return sequence.items.enumerated().map { index, item in
            ConfigEntry(name: "\(index)", path: "\(path)[\(index)]", keyNode: item, value: item)
        }
    }

    /// `parent.key`, or `key` at the top level.
    static func child(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    private func nilIfEmpty(_ path: String) -> String? {
        path.isEmpty ? nil : path
    }

    /// The message for a key that is not in `keys`.
    static func unknownKeyMessage(_ name: String, keyNode: YAMLNode, keys: ConfigKeys) -> String {
        if keys.unsupported.contains(name) {
            return "'\(name)' is not supported yet in this version of peering-probe; remove it"
        }
        if keyNode.isMerge {
            return "merge keys ('<<') are not supported; put shared settings under 'defaults'"
        }
        if let advice = keys.elsewhere[name] {
            return "unknown key '\(name)'; \(advice)"
        }
        if let suggestion = KeySuggestion.closest(to: name, among: keys.known) {
            return "unknown key '\(name)'; did you mean '\(suggestion)'?"
        }
        return "unknown key '\(name)'; expected one of: \(keys.known.joined(separator: ", "))"
    }

    // MARK: - Scalars

    /// The text of a scalar value; refuses lists, mappings and empty values with `expected` in the message.
    func scalar(_ entry: ConfigEntry, expected: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = entry.value, !Self.isNull(entry.value) else {
            throw error("expected \(expected), got \(Self.describe(entry.value))", at: entry)
        }
        return scalar.text
    }

    /// Runs a value parser on the scalar text of `entry`, locating its refusal.
    func value<T>(
        _ entry: ConfigEntry, expected: String, _ parse: (String) throws(ConfigValueProblem) -> T
    ) throws(ConfigError) -> T {
        let text = try scalar(entry, expected: expected)
        do {
            return try parse(text)
        } catch {
            throw self.error(error.message, at: entry)
        }
    }

    /// A non-empty, one-line string. Any scalar counts, so `site: no` is the text `no`, never a boolean.
    func string(_ entry: ConfigEntry) throws(ConfigError) -> String {
        let text = try scalar(entry, expected: "a string")
        guard !text.isEmpty else { throw error("must not be empty", at: entry) }
        guard !text.contains(where: \.isNewline) else { throw error("must be a single line", at: entry) }
        return text
    }

    /// A whole number of at least 1.
    func positiveInteger(_ entry: ConfigEntry) throws(ConfigError) -> Int {
        let number = try value(entry, expected: ConfigValues.integerExpectation, ConfigValues.parseInteger)
        guard number >= 1 else { throw error("must be at least 1, got \(number)", at: entry) }
        return number
    }

    /// A duration, at least 0.
    func duration(_ entry: ConfigEntry) throws(ConfigError) -> Duration {
        try value(entry, expected: ConfigValues.durationExpectation, ConfigValues.parseDuration)
    }

    /// A whole number within `range` (one of ``ConfigLimits``).
    func integer(_ entry: ConfigEntry, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let number = try value(entry, expected: ConfigValues.integerExpectation, ConfigValues.parseInteger)
        if let problem = ConfigLimits.problem(number, in: range) { throw error(problem, at: entry) }
        return number
    }

    /// A duration within `range` (one of ``ConfigLimits``).
    func duration(_ entry: ConfigEntry, in range: ClosedRange<Duration>) throws(ConfigError) -> Duration {
        let duration = try duration(entry)
        let written = try scalar(entry, expected: ConfigValues.durationExpectation)
        if let problem = ConfigLimits.problem(duration, in: range, written: written) { throw error(problem, at: entry) }
        return duration
    }

    /// A size in bytes within `range` (one of ``ConfigLimits``).
    func size(_ entry: ConfigEntry, in range: ClosedRange<Int64>) throws(ConfigError) -> Int64 {
        let bytes = try value(entry, expected: ConfigValues.sizeExpectation, ConfigValues.parseSize)
        guard range.contains(bytes) else {
            let lower = range.lowerBound == 1 ? "1 byte" : "\(ByteSize(bytes: range.lowerBound))"
            let message =
                "must be from \(lower) to \(ByteSize(bytes: range.upperBound)), got '\(try scalar(entry, expected: "a size"))'"
            throw error(message, at: entry)
        }
        return bytes
    }

    /// `true` or `false` (also yes/no, on/off).
    func bool(_ entry: ConfigEntry) throws(ConfigError) -> Bool {
        try value(entry, expected: ConfigValues.boolExpectation, ConfigValues.parseBool)
    }

    /// A status set: one code, a range, a comma string, or a list of those.
    func statuses(_ entry: ConfigEntry) throws(ConfigError) -> StatusSet {
        guard case .sequence = entry.value else {
            return try value(entry, expected: ConfigValues.statusExpectation, ConfigValues.parseStatuses)
        }
        var ranges: [ClosedRange<Int>] = []
        for item in try items(of: entry.value, path: entry.path, expected: ConfigValues.statusExpectation) {
            ranges += try value(item, expected: ConfigValues.statusExpectation, ConfigValues.parseStatuses).ranges
        }
        guard !ranges.isEmpty else {
            throw error("expected at least one status, like [200] or ['200-399', 401]", at: entry)
        }
        return StatusSet(ranges)
    }

    /// Request headers from a mapping `Name: value`, as `Name: value` lines, in file order.
    func headers(_ entry: ConfigEntry) throws(ConfigError) -> [String] {
        var out: [String] = []
        let expected = "a mapping of header names to values, like 'X-Probe: peering-probe'"
        for header in try freeEntries(of: entry.value, path: entry.path, expected: expected) {
            do throws(ConfigValueProblem) {
                try ConfigValues.checkHeaderName(header.name)
            } catch {
                throw self.error(error.message, line: header.keyNode.mark.line, key: header.path)
            }
            let text = try scalar(header, expected: "a header value")
            do throws(ConfigValueProblem) {
                try ConfigValues.checkHeaderValue(text, name: header.name)
            } catch {
                throw self.error(error.message, at: header)
            }
            out.append("\(header.name): \(text)")
        }
        return out
    }
}

/// "Did you mean" for mistyped keys.
enum KeySuggestion {
    /// The known key nearest to `name` when it is at most 2 edits away (ignoring case); the first in `known`
    /// order on a tie; nil otherwise.
    static func closest(to name: String, among known: [String]) -> String? {
        var best: (key: String, distance: Int)?
        for key in known {
            let distance = editDistance(name.lowercased(), key)
            if distance <= 2, distance < (best?.distance ?? .max) { best = (key, distance) }
        }
        return best?.key
    }

    /// Edits (insert, delete, replace, swap two neighbours) that turn `lhs` into `rhs`.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: right.count + 1), count: left.count + 1)
        for row in 0...left.count { table[row][0] = row }
        for column in 0...right.count { table[0][column] = column }
        for row in 1...left.count {
            for column in 1...right.count {
                let cost = left[row - 1] == right[column - 1] ? 0 : 1
                var distance = min(
                    table[row - 1][column] + 1, table[row][column - 1] + 1, table[row - 1][column - 1] + cost
                )
                if row > 1, column > 1, left[row - 1] == right[column - 2], left[row - 2] == right[column - 1] {
                    distance = min(distance, table[row - 2][column - 2] + 1)
                }
                table[row][column] = distance
            }
        }
        return table[left.count][right.count]
    }
}
