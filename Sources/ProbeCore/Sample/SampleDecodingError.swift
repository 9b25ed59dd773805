/// Why a line could not be read back as a ``Sample``.
public struct SampleDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// The text is not valid JSON; `offset` is the 0-based byte offset in the line.
        case malformedJSON(offset: Int, detail: String)
        /// The line is valid JSON but not an object.
        case notAnObject
        /// A schema field is absent (nested fields are named like `error.kind`).
        case missingField(String)
        /// A field has the wrong JSON type.
        case wrongType(field: String, expected: String, found: String)
        /// A field has the right type but an impossible value (an unknown `path_type`, a bad timestamp).
        case invalidValue(field: String, detail: String)
        /// `schema` is not 1.
        case unsupportedSchema(Int64)
    }

    /// What was wrong.
    public var reason: Reason
    /// The 1-based line number, when several lines were decoded together.
    public var line: Int?

    /// Makes an error.
    public init(_ reason: Reason, line: Int? = nil) {
        self.reason = reason
        self.line = line
    }

    /// A one-line message, for example `line 3: missing field "seq"`.
    public var description: String {
        let text =
            switch reason {
            case .malformedJSON(let offset, let detail): "malformed JSON at byte \(offset): \(detail)"
            case .notAnObject: "the line is not a JSON object"
            case .missingField(let name): "missing field \"\(name)\""
            case .wrongType(let field, let expected, let found):
                "field \"\(field)\": expected \(expected), found \(found)"
            case .invalidValue(let field, let detail): "field \"\(field)\": \(detail)"
            case .unsupportedSchema(let version):
                "schema \(version) is not supported (this decoder reads schema \(Sample.schemaVersion))"
            }
        return line.map { "line \($0): \(text)" } ?? text
    }
}
