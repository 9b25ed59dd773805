/// A value parsed by ``JSONParser``: the tree of one JSON document. Numbers keep their text, so integers and
/// decimals convert without binary rounding (see ``JSONNumber``).
enum JSONNode: Hashable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    /// A short description for error messages: `string "abc"`, `number 12`, `an object`.
    var summary: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let text): "number \(text)"
        case .string(let text): text.count <= 40 ? "string \"\(text)\"" : "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
