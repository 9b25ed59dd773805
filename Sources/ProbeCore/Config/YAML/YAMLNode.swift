/// A node of a composed YAML document: aliases are already replaced by the node their anchor names, so the tree
/// has only scalars, mappings and sequences.
enum YAMLNode: Sendable {
    /// A scalar.
    case scalar(YAMLScalar)
    /// A mapping.
    case mapping(YAMLMapping)
    /// A sequence.
    case sequence(YAMLSequence)

    /// Where the node starts (for a node reached through an alias: where the anchored node starts).
    var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .mapping(let mapping): mapping.mark
        case .sequence(let sequence): sequence.mark
        }
    }

    /// True for a null scalar (see ``YAMLScalar/isNull``).
    var isNull: Bool {
        guard case .scalar(let scalar) = self else { return false }
        return scalar.isNull
    }

    /// True for the merge key `<<` (see ``YAMLScalar/isMerge``).
    var isMerge: Bool {
        guard case .scalar(let scalar) = self else { return false }
        return scalar.isMerge
    }
}
