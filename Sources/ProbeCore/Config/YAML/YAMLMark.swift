/// A place in YAML text, as libyaml reports it but counted from 1: the line, and the column in Unicode scalars.
struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    /// The line, from 1.
    var line: Int
    /// The column, from 1, counted in Unicode scalars (as libyaml counts).
    var column: Int

    /// Makes a mark.
    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `LINE:COLUMN`.
    var description: String { "\(line):\(column)" }
}
