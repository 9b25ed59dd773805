/// Why a YAML text could not be composed into one node tree: what libyaml refused, in libyaml's own words and
/// places, or what the composer refused.
enum YAMLError: Error, Sendable, Hashable {
    /// libyaml could not allocate memory.
    case memory
    /// libyaml's reader refused the bytes (for example a control character): its `problem`, and the byte offset
    /// (`problem_offset`) of the character it stopped at.
    case reader(problem: String, offset: Int)
    /// libyaml's scanner or parser refused the text, or an alias names no anchor before it (`found undefined
    /// alias`): libyaml's `problem` and `problem_mark`, and its `context` and `context_mark` when it has one.
    case syntax(problem: String, mark: YAMLMark, context: String?, contextMark: YAMLMark?)
    /// The text holds a second document, starting at `mark` (its `---`).
    case multipleDocuments(mark: YAMLMark)
    /// One mapping has `key` twice: where it is first and where it is again. When several keys are repeated, the
    /// first of them in string order.
    case duplicateKey(key: String, first: YAMLMark, second: YAMLMark)
}
