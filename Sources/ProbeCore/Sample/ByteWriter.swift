/// A cursor over memory the caller has sized for the worst case: JSON pieces written with no bounds or
/// capacity checks, for ``SampleEncoder``'s hot path.
struct ByteWriter {
    private let start: UnsafeMutablePointer<UInt8>
    private var cursor: UnsafeMutablePointer<UInt8>

    /// Starts writing at `start`.
    init(_ start: UnsafeMutablePointer<UInt8>) {
        self.start = start
        cursor = start
    }

    /// Bytes written so far.
    var count: Int { cursor - start }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        cursor.pointee = value
        cursor += 1
    }

    @inline(__always)
    mutating func raw(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        cursor.update(from: text.utf8Start, count: length)
        cursor += length
    }

    @inline(__always)
    mutating func string(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    /// A JSON string: bytes copied as they are up to the first one that needs escaping (RFC 8259), the rest
    /// escaped byte by byte.
    @inline(__always)
    mutating func string(_ value: String) {
        byte(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let length = bytes.count
            var index = 0
            while index < length {
                let current = base[index]
                if current < 0x20 || current == 0x22 || current == 0x5C { break }
                cursor[index] = current
                index += 1
            }
            cursor += index
            while index < length {
                escape(base[index])
                index += 1
            }
        }
        byte(UInt8(ascii: "\""))
    }

    private mutating func escape(_ value: UInt8) {
        switch value {
        case 0x22: raw("\\\"")
        case 0x5C: raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        case ..<0x20:
            raw("\\u00")
            let hex: StaticString = "0123456789abcdef"
            byte(hex.utf8Start[Int(value >> 4)])
            byte(hex.utf8Start[Int(value & 0x0F)])
        default: byte(value)
        }
    }

    @inline(__always)
    mutating func integer(_ value: Int64?) {
        if let value { integer(value) } else { raw("null") }
    }

    /// Decimal digits of `value`.
    @inline(__always)
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        unsigned(value.magnitude)
    }

    @inline(__always)
    private mutating func unsigned(_ value: UInt64) {
        if value < 10 {
            byte(UInt8(truncatingIfNeeded: value) &+ 0x30)
            return
        }
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var rest = value
        var index = digits - 1
        while index >= 0 {
            cursor[index] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
            rest /= 10
            index -= 1
        }
        cursor += digits
    }

    /// Microseconds as milliseconds with exactly three decimals: `12345` → `12.345`, `-1500` → `-1.500`.
    @inline(__always)
    mutating func milliseconds(_ micros: Int64?) {
        guard let micros else {
            raw("null")
            return
        }
        if micros < 0 { byte(UInt8(ascii: "-")) }
        let magnitude = micros.magnitude
        unsigned(magnitude / 1_000)
        let fraction = magnitude % 1_000
        cursor[0] = UInt8(ascii: ".")
        cursor[1] = UInt8(truncatingIfNeeded: fraction / 100) &+ 0x30
        cursor[2] = UInt8(truncatingIfNeeded: fraction / 10 % 10) &+ 0x30
        cursor[3] = UInt8(truncatingIfNeeded: fraction % 10) &+ 0x30
        cursor += 4
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as ``Timestamp/rfc3339(microseconds:)`` writes it.
    @inline(__always)
    mutating func timestamp(_ micros: Int64) {
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let date = Timestamp.civilDate(daysSinceEpoch: days)
        fixed(date.year, 4)
        byte(UInt8(ascii: "-"))
        fixed(date.month, 2)
        byte(UInt8(ascii: "-"))
        fixed(date.day, 2)
        byte(UInt8(ascii: "T"))
        fixed(secondOfDay / 3_600, 2)
        byte(UInt8(ascii: ":"))
        fixed(secondOfDay % 3_600 / 60, 2)
        byte(UInt8(ascii: ":"))
        fixed(secondOfDay % 60, 2)
        byte(UInt8(ascii: "."))
        fixed(fraction, 6)
        byte(UInt8(ascii: "Z"))
    }

    @inline(__always)
    private mutating func fixed(_ value: Int64, _ width: Int) {
        var rest = value
        var index = width - 1
        while index >= 0 {
            cursor[index] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
            rest /= 10
            index -= 1
        }
        cursor += width
    }
}
