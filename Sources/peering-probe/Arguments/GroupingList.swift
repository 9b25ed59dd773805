import ArgumentParser
import ProbeReport

/// The value of `report --by`: dimensions separated by commas (`site,target,path_type`), each one a
/// ``GroupDimension``, duplicates dropped. Help, completions and the error for a bad value list the dimensions.
struct GroupingList: ExpressibleByArgument, Sendable {
    /// The dimensions, in the order given.
    var dimensions: [GroupDimension]

    /// The default grouping.
    init(_ dimensions: [GroupDimension] = GroupDimension.defaultGrouping) {
        self.dimensions = dimensions
    }

    init?(argument: String) {
        var dimensions: [GroupDimension] = []
        for word in argument.split(separator: ",") where !word.isEmpty {
            guard let dimension = GroupDimension(argument: String(word)) else { return nil }
            if !dimensions.contains(dimension) { dimensions.append(dimension) }
        }
        guard !dimensions.isEmpty else { return nil }
        self.dimensions = dimensions
    }

    static var allValueStrings: [String] { GroupDimension.allValueStrings }

    var defaultValueDescription: String { dimensions.map(\.rawValue).joined(separator: ",") }
}
