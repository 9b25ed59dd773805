public import ArgumentParser
public import ProbeReport

/// `report --min-effect 1ms,5%`.
extension MinimumEffect: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(text: argument)
    }

    public var defaultValueDescription: String {
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        return "\(number(milliseconds))ms,\(number(percent))%"
    }
}
