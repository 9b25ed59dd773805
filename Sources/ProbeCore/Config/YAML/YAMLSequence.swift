/// A sequence (list) of a YAML document, items in order.
struct YAMLSequence: Sendable {
    /// The items, in document order.
    var items: [YAMLNode]
    /// The tag as written, expanded by libyaml; nil when there is none.
    var tag: String?
    /// Where it starts: the first `-`, or the `[`.
    var mark: YAMLMark

    /// Makes a sequence.
    init(items: [YAMLNode], tag: String?, mark: YAMLMark) {
        self.items = items
        self.tag = tag
        self.mark = mark
    }
}
