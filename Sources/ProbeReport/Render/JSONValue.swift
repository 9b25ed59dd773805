import ProbeCore

/// A JSON value with ordered object keys, and its text: a small hand-written writer without Foundation.
///
/// Strings are escaped as RFC 8259 requires: `"` and `\` with a backslash, every control character below
/// U+0020 as `\u00XX`; U+2028 and U+2029 are escaped as well (valid JSON, but line breaks to JavaScript),
/// and with `escapingHTML` so are `<`, `>` and `&`, for a document embedded in an HTML `<script>`. Other
/// text passes through as UTF-8. Numbers that are NaN or infinite are written `null`: the output is always
/// valid JSON.
package enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case integer(Int64)
    /// A number, `null` when not finite.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, keys in the given order.
    case object([(String, JSONValue)])

    /// A number, or `null` for nil.
    package init(_ value: Double?) { self = value.map { .number($0) } ?? .null }

    /// Milliseconds rounded to the nanosecond (6 decimals), or `null` for nil: interpolated values computed in
    /// microseconds would otherwise print binary noise such as `21.769000000000002`.
    package init(milliseconds value: Double?) {
        self = value.map { .number(MachineText.nanosecondRounded($0)) } ?? .null
    }

    /// A string, or `null` for nil.
    package init(_ value: String?) { self = value.map { .string($0) } ?? .null }

    /// An integer, or `null` for nil.
    package init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }

    /// An integer, or `null` for nil.
    package init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }

    /// An RFC 3339 timestamp from microseconds since the epoch, or `null` for nil.
    package init(timestamp microseconds: Int64?) {
        self = microseconds.map { .string(Timestamp.rfc3339(microseconds: $0)) } ?? .null
    }

    /// The value as JSON text: indented by two spaces per level when `pretty` (arrays of scalars kept on one
    /// line), else on one line without spaces. No newline at the end.
    package func serialized(pretty: Bool = true, escapingHTML: Bool = false) -> String {
        var out = ""
        write(to: &out, level: 0, pretty: pretty, escapingHTML: escapingHTML)
        return out
    }

    /// Whether the value is neither an array nor an object.
    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    /// Appends the value's text at nesting `level`.
    private func write(to out: inout String, level: Int, pretty: Bool, escapingHTML: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let value): out += value.isFinite ? MachineText.number(value) : "null"
        case .string(let value): JSONStringLiteral.append(value, to: &out, escapingHTML: escapingHTML)
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            let inline = !pretty || items.allSatisfy(\.isScalar)
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += inline && pretty ? ", " : "," }
                if !inline { Self.newline(&out, level: level + 1) }
                item.write(to: &out, level: level + 1, pretty: pretty, escapingHTML: escapingHTML)
            }
            if !inline { Self.newline(&out, level: level) }
            out += "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                if pretty { Self.newline(&out, level: level + 1) }
                JSONStringLiteral.append(key, to: &out, escapingHTML: escapingHTML)
                out += pretty ? ": " : ":"
                value.write(to: &out, level: level + 1, pretty: pretty, escapingHTML: escapingHTML)
            }
            if pretty { Self.newline(&out, level: level) }
            out += "}"
        }
    }

    /// Appends a newline and the indentation of `level`.
    private static func newline(_ out: inout String, level: Int) {
        out += "\n" + String(repeating: "  ", count: level)
    }
}
