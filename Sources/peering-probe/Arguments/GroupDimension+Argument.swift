public import ArgumentParser
public import ProbeReport

/// One `report --by` dimension; see ``GroupingList`` for the comma-separated option.
extension GroupDimension: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(word: argument)
    }
}
