/// A size in bytes as the config file and the command line spell it: `512`, `64KiB`, `1MiB`, `1GiB` (binary
/// units) or `10kB`, `5MB`, `1GB` (decimal units).
public struct ByteSize: Sendable, Hashable, LosslessStringConvertible {
    /// The size in bytes.
    public var bytes: Int64

    /// Wraps a number of bytes.
    public init(bytes: Int64) {
        self.bytes = bytes
    }

    /// Parses `text`; nil when it is malformed or too large for 64 bits.
    public init?(_ text: String) {
        guard let bytes = ConfigValues.size(text) else { return nil }
        self.bytes = bytes
    }

    /// The size in the largest binary unit that divides it: `2GiB`, `64KiB`, `1000`.
    public var description: String {
        for (unit, shift) in [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)]
        where bytes != 0 && bytes % (Int64(1) << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)"
    }
}
