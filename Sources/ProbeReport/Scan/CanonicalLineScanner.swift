internal import ProbeCore

/// The scanner's fast path: a line in the exact shape ``ProbeCore/SampleEncoder`` writes, read in one
/// straight pass with the key order, the value types and the punctuation known in advance, so there is no
/// per-key search, no dispatch on the field, and no bookkeeping of which fields were seen.
///
/// It only ever answers "this line is valid and here are its values" or "not sure": every doubt (whitespace,
/// another key order, an escape, an error object, a number with an exponent) returns false, and the general
/// ``LineScanner`` walk decides and words the error. So it must never accept a line the general walk would
/// reject, or read a value differently; the scanner tests run both paths over the same lines.
struct CanonicalLineScanner {
    private let base: UnsafePointer<UInt8>
    private let end: UnsafePointer<UInt8>
    private var p: UnsafePointer<UInt8>

    init(base: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) {
        self.base = base
        self.end = end
        self.p = base
    }

    /// Reads the whole line into `out`; false when the line is not in canonical shape (nothing can be
    /// concluded then: the caller scans it again the general way).
    mutating func scan(into out: inout ScannedLine) -> Bool {
        guard end - p >= 16, p.pointee == UInt8(ascii: "{") else { return false }
        p += 1
        guard key(.schema), let schema = integer(), schema == Int64(Sample.schemaVersion) else { return false }
        guard next(.ts), let ts = string(), let micros = timestamp(ts, cache: &out) else { return false }
        out.timestamp = micros
        guard next(.agent), let agent = string() else { return false }
        out.agent = agent
        guard next(.site), let site = optionalString() else { return false }
        out.site = site
        guard next(.region), let region = optionalString() else { return false }
        out.region = region
        guard next(.batch), string() != nil else { return false }
        guard next(.seq), integer() != nil else { return false }
        guard next(.round), let round = integer() else { return false }
        out.round = round
        guard next(.n), let n = integer() else { return false }
        out.n = n
        guard next(.target), let target = string() else { return false }
        out.target = target
        guard next(.url), string() != nil else { return false }
        guard next(.method), let method = string(), word(method, "GET") || word(method, "HEAD") else { return false }
        guard next(.path), let path = string() else { return false }
        out.path = path
        guard next(.pathType), let pathType = string(), let typeIndex = Self.pathTypeIndex(self, pathType) else {
            return false
        }
        out.pathType = typeIndex
        guard next(.isp), let isp = optionalString() else { return false }
        out.isp = isp
        guard next(.asn), let asn = optionalInteger() else { return false }
        out.asn = asn.value
        guard next(.prefix), let prefix = optionalString() else { return false }
        out.prefix = prefix
        guard next(.egressIP), optionalString() != nil, next(.localIP), optionalString() != nil,
            next(.localPort), optionalInteger() != nil, next(.remoteIP), optionalString() != nil,
            next(.remotePort), optionalInteger() != nil, next(.ipVersion), optionalInteger() != nil,
            next(.httpVersion), optionalString() != nil
        else { return false }
        guard next(.status), let status = optionalInteger(), (status.value ?? -1) >= -1 else { return false }
        out.status = status.value ?? -1
        guard next(.ok), let ok = boolean() else { return false }
        out.ok = ok
        // An error object goes the general way (its kind must be looked up and its fields checked).
        guard next(.error), literal4(Self.null) else { return false }
        out.errorKind = 0
        guard next(.dnsMs), let dns = duration() else { return false }
        guard next(.connectMs), let connect = duration() else { return false }
        guard next(.tlsMs), let tls = duration() else { return false }
        guard next(.requestMs), let request = duration() else { return false }
        guard next(.waitMs), let wait = duration() else { return false }
        guard next(.transferMs), let transfer = duration() else { return false }
        guard next(.ttfbMs), let ttfb = duration() else { return false }
        guard next(.totalMs), let total = duration() else { return false }
        guard next(.redirectMs), duration() != nil else { return false }
        out.metrics[Metric.total.index] = total
        out.metrics[Metric.ttfb.index] = ttfb
        out.metrics[Metric.dns.index] = dns
        out.metrics[Metric.connect.index] = connect
        out.metrics[Metric.tls.index] = tls
        out.metrics[Metric.request.index] = request
        out.metrics[Metric.wait.index] = wait
        out.metrics[Metric.transfer.index] = transfer
        guard next(.bytes), integer() != nil else { return false }
        guard next(.pop), let pop = optionalString() else { return false }
        out.pop = pop
        guard next(.edgeServer), optionalString() != nil, next(.edgeRef), optionalString() != nil else { return false }
        return p < end && p.pointee == UInt8(ascii: "}") && p + 1 == end
    }

    // MARK: - Punctuation and keys

    /// `,` then the key of `field`.
    @inline(__always)
    private mutating func next(_ field: SchemaField) -> Bool {
        guard p < end, p.pointee == UInt8(ascii: ",") else { return false }
        p += 1
        return key(field)
    }

    /// `"name":` of `field`, sixteen bytes compared at once (two masked words).
    @inline(__always)
    private mutating func key(_ field: SchemaField) -> Bool {
        guard end - p >= 16 else { return false }
        let pattern = KeyPattern.all[field.rawValue]
        guard pattern.matches(UnsafeRawPointer(p)) else { return false }
        p += pattern.length
        return true
    }

    private static let null = UInt32(littleEndian: 0x6C6C_756E)  // "null"
    private static let true4 = UInt32(littleEndian: 0x6575_7274)  // "true"
    private static let fals = UInt32(littleEndian: 0x736C_6166)  // "fals"

    /// The four bytes at `p` are `word`.
    @inline(__always)
    private mutating func literal4(_ word: UInt32) -> Bool {
        guard end - p >= 4, UnsafeRawPointer(p).loadUnaligned(as: UInt32.self) == word else { return false }
        p += 4
        return true
    }

    // MARK: - Values

    @inline(__always)
    private mutating func boolean() -> Bool? {
        if literal4(Self.true4) { return true }
        if literal4(Self.fals), p < end, p.pointee == UInt8(ascii: "e") {
            p += 1
            return false
        }
        return nil
    }

    /// A string without escapes or control bytes; nil otherwise.
    @inline(__always)
    private mutating func string() -> ByteSpan? {
        guard p < end, p.pointee == UInt8(ascii: "\""), let stop = JSONGrammar.plainStringEnd(at: p, end: end) else {
            return nil
        }
        let start = p + 1
        p = stop
        return ByteSpan(
            start: Int32(truncatingIfNeeded: start - base), length: Int32(truncatingIfNeeded: stop - 1 - start),
            escaped: false)
    }

    @inline(__always)
    private mutating func optionalString() -> ByteSpan? {
        if p < end, p.pointee == UInt8(ascii: "n") { return literal4(Self.null) ? .null : nil }
        return string()
    }

    // Specialised: these read and convert the encoder's subset of JSON numbers (no sign, no exponent) in one pass;
    // see JSONGrammar.number(at:end:) for the grammar; reading through it costs the scan 15% more instructions.

    /// The decimal digits at `p` (wrapping past 19 of them: callers limit the count), and how many.
    @inline(__always)
    private mutating func digits() -> (value: UInt64, count: Int) {
        let start = p
        var value: UInt64 = 0
        while p < end {
            let digit = p.pointee &- 0x30
            guard digit <= 9 else { break }
            value = value &* 10 &+ UInt64(digit)
            p += 1
        }
        return (value, p - start)
    }

    /// A non-negative integer of at most 18 digits, no leading zero.
    @inline(__always)
    private mutating func integer() -> Int64? {
        let start = p
        let (value, count) = digits()
        guard count > 0, count <= 18, !(count > 1 && start.pointee == 0x30) else { return nil }
        if p < end, p.pointee == UInt8(ascii: ".") || p.pointee | 0x20 == UInt8(ascii: "e") { return nil }
        return Int64(value)
    }

    /// An integer or null; nil when neither (the outer optional), `.value == nil` for null.
    @inline(__always)
    private mutating func optionalInteger() -> (value: Int64?, Void)? {
        if p < end, p.pointee == UInt8(ascii: "n") { return literal4(Self.null) ? (nil, ()) : nil }
        guard let value = integer() else { return nil }
        return (value, ())
    }

    /// Milliseconds with at most three decimals, as µs; `nullDuration` for null.
    @inline(__always)
    private mutating func duration() -> UInt32? {
        if p < end, p.pointee == UInt8(ascii: "n") { return literal4(Self.null) ? ScannedLine.nullDuration : nil }
        let start = p
        let (whole, count) = digits()
        guard count > 0, count <= 7, !(count > 1 && start.pointee == 0x30) else { return nil }
        var fraction: UInt64 = 0
        var scale: UInt64 = 1_000
        if p < end, p.pointee == UInt8(ascii: ".") {
            p += 1
            let decimals: Int
            (fraction, decimals) = digits()
            guard decimals > 0, decimals <= 3 else { return nil }
            scale = decimals == 3 ? 1 : (decimals == 2 ? 10 : 100)
        }
        if p < end, p.pointee | 0x20 == UInt8(ascii: "e") { return nil }
        let micros = whole * 1_000 + fraction * scale
        guard micros < UInt64(ScannedLine.nullDuration) else { return nil }
        return UInt32(micros)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (the encoder's form) with the date looked up in the cache; any other form
    /// goes to the full RFC 3339 parser.
    @inline(__always)
    private func timestamp(_ span: ByteSpan, cache: inout ScannedLine) -> Int64? {
        let text = base + Int(span.start)
        let full = UnsafeBufferPointer(start: text, count: Int(span.length))
        guard span.length == 27, text[10] == UInt8(ascii: "T"), text[13] == UInt8(ascii: ":"),
            text[16] == UInt8(ascii: ":"), text[19] == UInt8(ascii: "."), text[26] == UInt8(ascii: "Z")
        else { return Timestamp.parseRFC3339(utf8: full) }
        let raw = UnsafeRawPointer(text)
        let date = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        func digits(_ at: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for index in at..<at + count {
                let digit = text[index] &- 0x30
                guard digit <= 9 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let dayStart = cache.cachedDayStart, date == cache.cachedDate else {
            guard let micros = Timestamp.parseRFC3339(utf8: full), let hour = digits(11, 2), let minute = digits(14, 2),
                let second = digits(17, 2), let fraction = digits(20, 6)
            else { return nil }
            cache.cachedDate = date
            cache.cachedDayStart = micros - ((hour * 60 + minute) * 60 + second) * 1_000_000 - fraction
            return micros
        }
        guard let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
            let fraction = digits(20, 6), hour < 24, minute < 60, second <= 60
        else { return nil }
        return dayStart + ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction
    }

    /// Whether a span is exactly `text`.
    @inline(__always)
    private func word(_ span: ByteSpan, _ text: StaticString) -> Bool {
        guard Int(span.length) == text.utf8CodeUnitCount else { return false }
        let bytes = base + Int(span.start)
        for index in 0..<Int(span.length) where bytes[index] != text.utf8Start[index] { return false }
        return true
    }

    private static func pathTypeIndex(_ scanner: CanonicalLineScanner, _ span: ByteSpan) -> UInt8? {
        switch span.length {
        case 15: scanner.word(span, "peering-service") ? 0 : nil
        case 8: scanner.word(span, "internet") ? 1 : nil
        case 12: scanner.word(span, "expressroute") ? 2 : nil
        case 7: scanner.word(span, "unknown") ? 3 : nil
        default: nil
        }
    }
}
