import ArgumentParser
import ProbeCore

/// `--resolve HOST:PORT:ADDRESS`, checked by the same rules as `resolve` in the config, so the error says what
/// is wrong with the pin (a port out of range, an address that is not one) and names the flag.
enum ResolveArgument {
    /// The pin, unchanged, when it is usable; else a validation error with the reason.
    @Sendable static func parse(_ entry: String) throws -> String {
        if let problem = ConfigValues.resolveEntryProblem(entry) {
            throw ValidationError(MessageText.escaped(problem))
        }
        return entry
    }
}
