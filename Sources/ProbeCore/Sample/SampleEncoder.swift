/// Writes samples as NDJSON in schema v1, with a fixed key order, into a reused byte buffer.
///
/// A measured hot path (DESIGN.md: Foundation's JSONEncoder wrote about 61,000 samples/s here, a
/// hand-written encoder about 2,000,000): no Foundation, no intermediate dictionary or `String` per sample.
public struct SampleEncoder: Sendable {
    /// Makes an encoder (it has no state).
    public init() {}

    /// Encodes `samples`, one line each.
    public func encode(_ samples: some Sequence<Sample>) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(samples.underestimatedCount * 900)
        for sample in samples { encode(sample, into: &buffer) }
        return buffer
    }

    /// Appends one JSON object and a newline to `buffer`.
    public func encode(_ sample: Sample, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: #"{"schema":1,"ts":""#.utf8)
        Timestamp.append(microseconds: sample.timestamp, to: &buffer)
        buffer.append(contentsOf: #"","agent":"#.utf8)
        string(sample.agent, &buffer)
        key(",\"site\":", &buffer)
        string(sample.site, &buffer)
        key(",\"region\":", &buffer)
        string(sample.region, &buffer)
        key(",\"batch\":", &buffer)
        string(sample.batch, &buffer)
        key(",\"seq\":", &buffer)
        integer(sample.seq, &buffer)
        key(",\"round\":", &buffer)
        integer(sample.round, &buffer)
        key(",\"n\":", &buffer)
        integer(Int64(sample.n), &buffer)
        key(",\"target\":", &buffer)
        string(sample.target, &buffer)
        key(",\"url\":", &buffer)
        string(sample.url, &buffer)
        key(",\"method\":", &buffer)
        string(sample.method.rawValue, &buffer)
        key(",\"path\":", &buffer)
        string(sample.path.name, &buffer)
        key(",\"path_type\":", &buffer)
        string(sample.path.type.rawValue, &buffer)
        key(",\"isp\":", &buffer)
        string(sample.path.isp, &buffer)
        key(",\"asn\":", &buffer)
        integer(sample.path.asn, &buffer)
        key(",\"prefix\":", &buffer)
        string(sample.path.prefix, &buffer)
        key(",\"egress_ip\":", &buffer)
        string(sample.path.egressIP, &buffer)
        key(",\"local_ip\":", &buffer)
        string(sample.localIP, &buffer)
        key(",\"local_port\":", &buffer)
        integer(sample.localPort.map(Int64.init), &buffer)
        key(",\"remote_ip\":", &buffer)
        string(sample.remoteIP, &buffer)
        key(",\"remote_port\":", &buffer)
        integer(sample.remotePort.map(Int64.init), &buffer)
        key(",\"ip_version\":", &buffer)
        integer(sample.ipVersion.map(Int64.init), &buffer)
        key(",\"http_version\":", &buffer)
        string(sample.httpVersion, &buffer)
        key(",\"status\":", &buffer)
        integer(sample.status.map(Int64.init), &buffer)
        key(sample.ok ? ",\"ok\":true,\"error\":" : ",\"ok\":false,\"error\":", &buffer)
        if let error = sample.error {
            key("{\"kind\":", &buffer)
            string(error.kind.rawValue, &buffer)
            key(",\"code\":", &buffer)
            integer(error.code.map(Int64.init), &buffer)
            key(",\"message\":", &buffer)
            string(error.message, &buffer)
            buffer.append(UInt8(ascii: "}"))
        } else {
            key("null", &buffer)
        }
        let phases = sample.phases
        key(",\"dns_ms\":", &buffer)
        milliseconds(phases.dns, &buffer)
        key(",\"connect_ms\":", &buffer)
        milliseconds(phases.connect, &buffer)
        key(",\"tls_ms\":", &buffer)
        milliseconds(phases.tls, &buffer)
        key(",\"request_ms\":", &buffer)
        milliseconds(phases.request, &buffer)
        key(",\"wait_ms\":", &buffer)
        milliseconds(phases.wait, &buffer)
        key(",\"transfer_ms\":", &buffer)
        milliseconds(phases.transfer, &buffer)
        key(",\"ttfb_ms\":", &buffer)
        milliseconds(phases.ttfb, &buffer)
        key(",\"total_ms\":", &buffer)
        milliseconds(phases.total, &buffer)
        key(",\"redirect_ms\":", &buffer)
        milliseconds(phases.redirect, &buffer)
        key(",\"bytes\":", &buffer)
        integer(sample.bytes, &buffer)
        key(",\"pop\":", &buffer)
        string(sample.pop, &buffer)
        key(",\"edge_server\":", &buffer)
        string(sample.edgeServer, &buffer)
        key(",\"edge_ref\":", &buffer)
        string(sample.edgeRef, &buffer)
        buffer.append(contentsOf: "}\n".utf8)
    }

    @inline(__always)
    private func key(_ text: StaticString, _ buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    private func string(_ value: String?, _ buffer: inout [UInt8]) {
        guard let value else {
            key("null", &buffer)
            return
        }
        string(value, &buffer)
    }

    /// A JSON string: bytes copied as they are unless they need escaping (RFC 8259).
    @inline(__always)
    private func string(_ value: String, _ buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var clean = true
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                clean = false
                break
            }
            if clean {
                buffer.append(contentsOf: bytes)
            } else {
                for byte in bytes { escape(byte, &buffer) }
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private func escape(_ byte: UInt8, _ buffer: inout [UInt8]) {
        switch byte {
        case 0x22: key("\\\"", &buffer)
        case 0x5C: key("\\\\", &buffer)
        case 0x0A: key("\\n", &buffer)
        case 0x0D: key("\\r", &buffer)
        case 0x09: key("\\t", &buffer)
        case 0x08: key("\\b", &buffer)
        case 0x0C: key("\\f", &buffer)
        case ..<0x20:
            key("\\u00", &buffer)
            let hex: StaticString = "0123456789abcdef"
            buffer.append(hex.utf8Start[Int(byte >> 4)])
            buffer.append(hex.utf8Start[Int(byte & 0x0F)])
        default: buffer.append(byte)
        }
    }

    @inline(__always)
    private func integer(_ value: Int64?, _ buffer: inout [UInt8]) {
        guard let value else {
            key("null", &buffer)
            return
        }
        integer(value, &buffer)
    }

    /// Decimal digits of `value`, written back to front into a small stack buffer.
    @inline(__always)
    private func integer(_ value: Int64, _ buffer: inout [UInt8]) {
        if value >= 0 && value < 10 {
            buffer.append(UInt8(truncatingIfNeeded: value) + 0x30)
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            repeat {
                index -= 1
                digits[index] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { buffer.append(UInt8(ascii: "-")) }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index..<20]))
        }
    }

    /// Microseconds as milliseconds with exactly three decimals: `12345` → `12.345`, `-1500` → `-1.500`.
    @inline(__always)
    private func milliseconds(_ micros: Int64?, _ buffer: inout [UInt8]) {
        guard let micros else {
            key("null", &buffer)
            return
        }
        if micros < 0 { buffer.append(UInt8(ascii: "-")) }
        let magnitude = Int64(micros.magnitude)
        integer(magnitude / 1_000, &buffer)
        buffer.append(UInt8(ascii: "."))
        let fraction = magnitude % 1_000
        buffer.append(UInt8(truncatingIfNeeded: fraction / 100) + 0x30)
        buffer.append(UInt8(truncatingIfNeeded: fraction / 10 % 10) + 0x30)
        buffer.append(UInt8(truncatingIfNeeded: fraction % 10) + 0x30)
    }
}
