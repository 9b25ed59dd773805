internal import ProbeCore

/// Turns the raw contents of a JSON string (between the quotes) into a `String`: escapes decoded, UTF-8
/// validated. Used once per distinct value, never per line.
package enum JSONText {
    /// The decoded text, or nil when the bytes are not valid UTF-8 or hold a bad escape. Contents with escapes
    /// go through ProbeCore's decoder, so the report reads strings exactly as `SampleDecoder` does.
    package static func decode(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String? {
        guard escaped else { return String(validating: raw, as: UTF8.self) }
        return SampleDecoder.string(fromJSONContents: raw)
    }
}
