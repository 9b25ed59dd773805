/// Builds a page that is both HTML and well-formed XML: every element closed, attribute values quoted, all
/// text escaped with ``HTMLEscaping``.
///
/// HTML elements are written with an end tag (`<td></td>`), except the void ones, which are written
/// self-closed (`<meta/>`, `<br/>`); SVG elements may be self-closed (`<path/>`), which both parsers read as
/// empty.
struct HTMLWriter {
    /// An attribute list; a nil value leaves the attribute out.
    typealias Attributes = KeyValuePairs<String, String?>

    /// The text written so far.
    private(set) var output = ""

    /// Elements after whose end tag a newline is written, to keep the source readable.
    private static let blockElements: Set<String> = [
        "html", "head", "body", "header", "section", "div", "table", "thead", "tbody", "tr", "ul", "ol", "li",
        "p", "h1", "h2", "h3", "h4", "dl", "dd", "style", "title", "figure", "figcaption", "svg", "g", "footer",
        "nav",
    ]

    /// Makes an empty writer.
    init() {}

    /// Appends markup as is; for the fixed parts of the page only, never for data.
    mutating func raw(_ markup: String) {
        output += markup
    }

    /// Appends escaped text.
    mutating func text(_ text: String) {
        output += HTMLEscaping.escape(text)
    }

    /// Appends `<name attributes>`.
    mutating func open(_ name: String, _ attributes: Attributes = [:]) {
        open(name, list: attributes.map { ($0.key, $0.value) })
    }

    /// Appends `<name attributes>`, with the attributes in a list built at run time.
    mutating func open(_ name: String, list attributes: [(String, String?)]) {
        output += "<" + name
        for (key, value) in attributes {
            guard let value else { continue }
            output += " " + key + "=\"" + HTMLEscaping.escape(value) + "\""
        }
        output += ">"
    }

    /// Appends `</name>`.
    mutating func close(_ name: String) {
        output += "</" + name + ">"
        if Self.blockElements.contains(name) { output += "\n" }
    }

    /// Appends an element holding `text`, escaped.
    mutating func element(_ name: String, _ attributes: Attributes = [:], text: String) {
        open(name, attributes)
        self.text(text)
        close(name)
    }

    /// Appends an element whose content `body` writes.
    mutating func element(_ name: String, _ attributes: Attributes = [:], body: (inout HTMLWriter) -> Void) {
        open(name, attributes)
        body(&self)
        close(name)
    }

    /// Appends a self-closed element: an HTML void element (`meta`, `br`) or an empty SVG element.
    mutating func empty(_ name: String, _ attributes: Attributes = [:]) {
        open(name, list: attributes.map { ($0.key, $0.value) })
        output.removeLast()
        output += "/>"
    }
}
