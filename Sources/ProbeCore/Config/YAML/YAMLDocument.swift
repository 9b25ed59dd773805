import CYAML

/// Composes the node tree of a one-document YAML text over libyaml's event parser (`yaml_parser_parse`).
///
/// What it adds to libyaml's events: aliases are replaced by the node their anchor names (an alias whose anchor
/// is not defined before it is an error, as are duplicate keys in one mapping and a second document). Nothing is
/// converted: scalars keep their text, style and tag, mappings their pairs in document order.
///
/// The composer keeps its own stack of open collections instead of recursing, and refuses more than
/// ``maxDepth`` of them, so that no input can exhaust the thread's stack (here, or later when the tree is freed).
enum YAMLDocument {
    /// The most lists and mappings that may be open at once; a deeper document is refused.
    static let maxDepth = 1_000

    /// The root node of the single document in `yaml`; nil when the text holds no document at all (empty, or only
    /// comments).
    static func compose(_ yaml: String) throws(YAMLError) -> YAMLNode? {
        guard !yaml.isEmpty else { return nil }  // libyaml wants a non-null buffer, and finds no document in it
        var text = yaml
        let result = text.withUTF8 { bytes -> Result<YAMLNode?, YAMLError> in
            do throws(YAMLError) {
                var composer = Composer(parser: try EventParser(bytes: bytes))
                return .success(try composer.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

// MARK: - Composer

/// The state of one composition: the parser and the anchors seen so far.
private struct Composer: ~Copyable {
    /// libyaml's parser over the text.
    var parser: EventParser
    /// The node of each anchor defined so far; a later anchor of the same name replaces an earlier one.
    var anchors: [String: YAMLNode] = [:]

    /// Makes a composer reading `parser`'s events.
    init(parser: consuming EventParser) {
        self.parser = parser
    }

    /// The one document's root node, nil when there is none.
    mutating func document() throws(YAMLError) -> YAMLNode? {
        _ = try parser.next()  // stream start
        let start = try parser.next()
        if case .streamEnd = start.kind { return nil }
        let root = try node(startingWith: try parser.next())
        _ = try parser.next()  // document end
        let after = try parser.next()
        if case .streamEnd = after.kind { return root }
        throw .multipleDocuments(mark: after.mark)
    }

    /// An open mapping or sequence, waiting for its items.
    private struct Frame {
        /// True for a mapping, false for a sequence.
        var isMapping: Bool
        /// Its anchor, registered when it closes.
        var anchor: String?
        /// Its tag.
        var tag: String?
        /// Where it starts.
        var mark: YAMLMark
        /// A sequence's items so far.
        var items: [YAMLNode] = []
        /// A mapping's complete pairs so far.
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        /// A mapping's key that waits for its value.
        var key: YAMLNode?
    }

    /// The node that `first` starts, reading events up to its end.
    private mutating func node(startingWith first: Event) throws(YAMLError) -> YAMLNode {
        var open: [Frame] = []
        var event = first
        while true {
            let done: YAMLNode
            switch event.kind {
            case .alias(let anchor):
                guard let node = anchors[anchor] else {
                    throw .syntax(problem: "found undefined alias", mark: event.mark, context: nil, contextMark: nil)
                }
                done = node
            case .scalar(let scalar, let anchor):
                done = .scalar(scalar)
                register(anchor, done)
            case .sequenceStart(let anchor, let tag), .mappingStart(let anchor, let tag):
                guard open.count < YAMLDocument.maxDepth else {
                    throw .syntax(
                        problem: "found more than \(YAMLDocument.maxDepth) nested lists and mappings",
                        mark: event.mark, context: nil, contextMark: nil
                    )
                }
                var isMapping = false
                if case .mappingStart = event.kind { isMapping = true }
                open.append(Frame(isMapping: isMapping, anchor: anchor, tag: tag, mark: event.mark))
                event = try parser.next()
                continue
            case .sequenceEnd:
                let frame = open.removeLast()
                done = .sequence(YAMLSequence(items: frame.items, tag: frame.tag, mark: frame.mark))
                register(frame.anchor, done)
            case .mappingEnd:
                let frame = open.removeLast()
                try Self.checkDuplicateKeys(frame.pairs)
                done = .mapping(YAMLMapping(pairs: frame.pairs, tag: frame.tag, mark: frame.mark))
                register(frame.anchor, done)
            case .streamStart, .streamEnd, .documentStart, .documentEnd:
                preconditionFailure("libyaml sent a stream or document event inside a node")
            }
            guard !open.isEmpty else { return done }
            let top = open.count - 1
            if !open[top].isMapping {
                open[top].items.append(done)
            } else if let key = open[top].key {
                open[top].pairs.append((key, done))
                open[top].key = nil
            } else {
                open[top].key = done
            }
            event = try parser.next()
        }
    }

    /// Remembers `node` as the node of `anchor`, when there is one.
    private mutating func register(_ anchor: String?, _ node: YAMLNode) {
        if let anchor { anchors[anchor] = node }
    }

    /// Refuses a mapping in which a scalar key appears twice, naming the first such key in string order. (Lists
    /// and mappings as keys are not compared: comparing trees built from aliases could take exponential time, and
    /// the config reader refuses them as keys anyway.)
    private static func checkDuplicateKeys(_ pairs: [(key: YAMLNode, value: YAMLNode)]) throws(YAMLError) {
        var firstMarks: [ScalarKey: YAMLMark] = [:]
        var found: (key: String, first: YAMLMark, second: YAMLMark)?
        for case (.scalar(let scalar), _) in pairs {
            let identity = ScalarKey(text: scalar.text, tag: scalar.keyTag)
            guard let first = firstMarks[identity] else {
                firstMarks[identity] = scalar.mark
                continue
            }
            if found.map({ scalar.text < $0.key }) ?? true { found = (scalar.text, first, scalar.mark) }
        }
        if let found { throw .duplicateKey(key: found.key, first: found.first, second: found.second) }
    }

    /// What makes two scalar keys the same key.
    private struct ScalarKey: Hashable {
        /// The text.
        var text: String
        /// ``YAMLScalar/keyTag``.
        var tag: String
    }
}

// MARK: - libyaml

/// libyaml's parser over a UTF-8 buffer that outlives it; frees everything libyaml allocated when it goes away.
private struct EventParser: ~Copyable {
    /// The parser; on the heap because libyaml keeps a pointer to it (its string reader's handler data).
    private let parser: UnsafeMutablePointer<yaml_parser_t>

    /// A parser reading `bytes`, which must stay valid and unchanged while the parser lives.
    init(bytes: UnsafeBufferPointer<UInt8>) throws(YAMLError) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            throw .memory
        }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
        self.parser = parser
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    /// The next event, copied out of libyaml's (which is freed at once).
    mutating func next() throws(YAMLError) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw error() }
        defer { yaml_event_delete(&event) }
        return Event(event)
    }

    /// What libyaml reported after a failed `yaml_parser_parse`.
    private func error() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown problem"
        switch state.error {
        case YAML_MEMORY_ERROR:
            return .memory
        case YAML_READER_ERROR:
            return .reader(problem: problem, offset: state.problem_offset)
        default:
            let context = state.context.map { String(cString: $0) }
            return .syntax(
                problem: problem, mark: YAMLMark(state.problem_mark), context: context,
                contextMark: context == nil ? nil : YAMLMark(state.context_mark)
            )
        }
    }
}

/// The part of a libyaml event that the composer uses, as Swift values.
private struct Event {
    /// What the event is.
    enum Kind {
        case streamStart
        case streamEnd
        case documentStart
        case documentEnd
        case alias(anchor: String)
        case scalar(YAMLScalar, anchor: String?)
        case sequenceStart(anchor: String?, tag: String?)
        case sequenceEnd
        case mappingStart(anchor: String?, tag: String?)
        case mappingEnd
    }

    /// What the event is.
    var kind: Kind
    /// Where it starts.
    var mark: YAMLMark

    /// Copies what the composer needs out of `event`.
    init(_ event: yaml_event_t) {
        mark = YAMLMark(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            kind = .streamStart
        case YAML_DOCUMENT_START_EVENT:
            kind = .documentStart
        case YAML_DOCUMENT_END_EVENT:
            kind = .documentEnd
        case YAML_ALIAS_EVENT:
            kind = .alias(anchor: Self.string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let node = YAMLScalar(text: text, style: Self.style(scalar.style), tag: Self.string(scalar.tag), mark: mark)
            kind = .scalar(node, anchor: Self.string(scalar.anchor))
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            kind = .sequenceStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag))
        case YAML_SEQUENCE_END_EVENT:
            kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            kind = .mappingStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag))
        case YAML_MAPPING_END_EVENT:
            kind = .mappingEnd
        default:  // YAML_STREAM_END_EVENT; YAML_NO_EVENT is never returned by a successful parse
            kind = .streamEnd
        }
    }

    /// A libyaml string (anchor, tag); nil for a null pointer.
    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(decodingCString: $0, as: UTF8.self) }
    }

    /// A libyaml scalar style as ours.
    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}

extension YAMLMark {
    /// libyaml's mark (from 0) as a mark from 1.
    fileprivate init(_ mark: yaml_mark_t) {
        self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}
