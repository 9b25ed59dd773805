package import Logging
internal import ProbeCore

/// One log event ready to be written: its time, level, message and metadata flattened to `key: value` fields
/// sorted by key. ``AgentLogHandler`` builds one per event and renders it with ``rendered(as:)``.
///
/// Nested metadata (`["request": ["path": "/"]]`) becomes dotted keys (`request.path`); an array stays one
/// field whose elements are written as text. Values given as `.stringConvertible` integers, finite
/// floating-point numbers or booleans are numbers and booleans in JSON; everything else is a string.
package struct LogLine: Sendable {
    /// One field's value after flattening.
    package enum Value: Sendable, Hashable {
        /// Text.
        case string(String)
        /// A number, already spelt as JSON and logfmt write it (`120`, `0.25`).
        case number(String)
        /// `true` or `false`.
        case bool(Bool)
        /// The elements of an array, each as text.
        case list([String])
    }

    /// Wall-clock time of the event, in microseconds since the Unix epoch.
    package var microseconds: Int64
    /// The event's level.
    package var level: Logger.Level
    /// The event's message.
    package var message: String
    /// The metadata, flattened, sorted by key, each key once.
    package var fields: [(key: String, value: Value)]

    /// A line from its parts: `metadata` is flattened (nested dictionaries to dotted keys) and sorted; `error`,
    /// when given and no metadata field is called `error`, becomes the field `error`.
    package init(
        microseconds: Int64, level: Logger.Level, message: String, metadata: Logger.Metadata,
        error: (any Error)? = nil
    ) {
        self.microseconds = microseconds
        self.level = level
        self.message = message
        var flat: [String: Value] = [:]
        Self.flatten(metadata, prefix: "", into: &flat)
        if let error, flat["error"] == nil { flat["error"] = .string(String(describing: error)) }
        fields = flat.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// The time as ISO 8601 in UTC with milliseconds: `2026-12-01T02:57:58.123Z`.
    package var timestamp: String {
        let micros = Timestamp.rfc3339(microseconds: microseconds)
        return String(micros.prefix(23)) + "Z"
    }

    /// The line in `format`, ending in a newline.
    package func rendered(as format: LogFormat) -> String {
        switch format {
        case .text: textLine()
        case .json: jsonLine()
        }
    }

    private static func flatten(_ metadata: Logger.Metadata, prefix: String, into flat: inout [String: Value]) {
        for (key, value) in metadata {
            let name = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .string(let text): flat[name] = .string(text)
            case .stringConvertible(let convertible): flat[name] = scalar(convertible)
            case .dictionary(let nested): flatten(nested, prefix: name, into: &flat)
            case .array(let elements): flat[name] = .list(elements.map(\.description))
            }
        }
    }

    private static func scalar(_ value: any CustomStringConvertible & Sendable) -> Value {
        switch value {
        case let flag as Bool: .bool(flag)
        case let integer as any BinaryInteger: .number(integer.description)
        case let real as Double where real.isFinite: .number(real.description)
        case let real as Float where real.isFinite: .number(real.description)
        default: .string(value.description)
        }
    }
}
