/// A scalar of a YAML document: its text as libyaml unfolded and unescaped it, how it was written, and its tag.
///
/// No type is resolved here (the config reader parses the text itself), except the two forms it needs to spot:
/// null (``isNull``) and the merge key (``isMerge``).
struct YAMLScalar: Sendable, Hashable {
    /// How a scalar was written.
    enum Style: Sendable, Hashable {
        /// Without quotes: `abc`.
        case plain
        /// In single quotes: `'abc'`.
        case singleQuoted
        /// In double quotes, with escapes: `"abc\n"`.
        case doubleQuoted
        /// A literal block: `|`.
        case literal
        /// A folded block: `>`.
        case folded
    }

    /// The full tag of the null type, what `!!null` expands to.
    static let nullTag = "tag:yaml.org,2002:null"
    /// The full tag of the string type, what `!!str` expands to.
    static let stringTag = "tag:yaml.org,2002:str"
    /// The full tag of the merge key, what `!!merge` expands to.
    static let mergeTag = "tag:yaml.org,2002:merge"

    /// The text.
    var text: String
    /// How it was written.
    var style: Style
    /// The tag as written, expanded by libyaml (`!!null` is ``nullTag``); nil when there is none.
    var tag: String?
    /// Where it starts.
    var mark: YAMLMark

    /// Makes a scalar.
    init(text: String, style: Style, tag: String?, mark: YAMLMark) {
        self.text = text
        self.style = style
        self.tag = tag
        self.mark = mark
    }

    /// True for YAML 1.1's null: `~`, `null`, `Null`, `NULL` or nothing at all, written without quotes or a tag;
    /// or anything tagged `!!null`.
    var isNull: Bool {
        if let tag { return tag == Self.nullTag }
        guard style == .plain else { return false }
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// True for the merge key: `<<` written without quotes or a tag, or anything tagged `!!merge`.
    var isMerge: Bool {
        if let tag { return tag == Self.mergeTag }
        return style == .plain && text == "<<"
    }

    /// The tag this scalar has for telling keys apart: its own, or the string tag when it has none (a plain
    /// `abc` and a quoted `'abc'` are the same key).
    var keyTag: String {
        guard let tag, tag != "!" else { return Self.stringTag }
        return tag
    }
}
