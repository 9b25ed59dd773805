/// A mapping of a YAML document, key/value pairs in document order (no two scalar keys the same: the composer
/// refuses duplicates).
struct YAMLMapping: Sendable {
    /// The key/value pairs, in document order.
    var pairs: [(key: YAMLNode, value: YAMLNode)]
    /// The tag as written, expanded by libyaml; nil when there is none.
    var tag: String?
    /// Where it starts: the first key, or the `{`.
    var mark: YAMLMark

    /// Makes a mapping.
    init(pairs: [(key: YAMLNode, value: YAMLNode)], tag: String?, mark: YAMLMark) {
        self.pairs = pairs
        self.tag = tag
        self.mark = mark
    }
}
