internal import Logging
internal import ProbeCore

extension LogLine {
    /// The keys every JSON line starts with; a metadata field of the same name is written as `_ts`, `_level` or
    /// `_message`, so no object holds a key twice.
    static let reservedKeys: Set<String> = ["ts", "level", "message"]

    /// The line as one JSON object: `{"ts":"2026-12-01T02:57:58.123Z","level":"info","message":"round
    /// overran","late_ms":120,"target":"entra-id"}`, metadata fields after the three fixed keys, sorted by key.
    func jsonLine() -> String {
        var line = "{\"ts\":\""
        line += timestamp
        line += "\",\"level\":\""
        line += level.rawValue
        line += "\",\"message\":"
        JSONStringLiteral.append(message, to: &line)
        for (key, value) in fields {
            line += ","
            JSONStringLiteral.append(Self.reservedKeys.contains(key) ? "_" + key : key, to: &line)
            line += ":"
            switch value {
            case .string(let text): JSONStringLiteral.append(text, to: &line)
            case .number(let number): line += number
            case .bool(let flag): line += flag ? "true" : "false"
            case .list(let elements):
                line += "["
                for (index, element) in elements.enumerated() {
                    if index > 0 { line += "," }
                    JSONStringLiteral.append(element, to: &line)
                }
                line += "]"
            }
        }
        line += "}\n"
        return line
    }
}
