/// Writes samples as NDJSON in schema v1, with a fixed key order, into a reused byte buffer.
///
/// Keys are written in the order of <doc:SampleSchema>, durations as milliseconds with three decimals. The
/// encoder builds no intermediate dictionary or `String` per sample; reuse one buffer across calls to
/// ``encode(_:into:)`` to avoid allocating per line.
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
    ///
    /// The line is written through a raw pointer into scratch space sized for the worst case (every string
    /// byte escaped as `\u00XX`), then appended to `buffer` with one copy.
    public func encode(_ sample: Sample, into buffer: inout [UInt8]) {
        let bound = Self.fixedBound + 6 * sample.variableBytes
        if bound <= 4_096 {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4_096) { scratch in
                var writer = ByteWriter(scratch.baseAddress!)
                write(sample, &writer)
                buffer.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress!, count: writer.count))
            }
        } else {
            let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: bound)
            defer { scratch.deallocate() }
            var writer = ByteWriter(scratch)
            write(sample, &writer)
            buffer.append(contentsOf: UnsafeBufferPointer(start: scratch, count: writer.count))
        }
    }

    /// Bytes of a line apart from string contents: keys, punctuation, and the widest numbers.
    static let fixedBound = 1_200

    private func write(_ sample: Sample, _ out: inout ByteWriter) {
        out.raw(#"{"schema":1,"ts":""#)
        out.timestamp(sample.timestamp)
        out.raw(#"","agent":"#)
        out.string(sample.agent)
        out.raw(",\"site\":")
        out.string(sample.site)
        out.raw(",\"region\":")
        out.string(sample.region)
        out.raw(",\"batch\":")
        out.string(sample.batch)
        out.raw(",\"seq\":")
        out.integer(sample.seq)
        out.raw(",\"round\":")
        out.integer(sample.round)
        out.raw(",\"n\":")
        out.integer(Int64(sample.n))
        out.raw(",\"target\":")
        out.string(sample.target)
        out.raw(",\"url\":")
        out.string(sample.url)
        out.raw(sample.method == .get ? ",\"method\":\"GET\",\"path\":" : ",\"method\":\"HEAD\",\"path\":")
        out.string(sample.path.name)
        out.raw(",\"path_type\":")
        out.string(sample.path.type.rawValue)
        out.raw(",\"isp\":")
        out.string(sample.path.isp)
        out.raw(",\"asn\":")
        out.integer(sample.path.asn)
        out.raw(",\"prefix\":")
        out.string(sample.path.prefix)
        out.raw(",\"egress_ip\":")
        out.string(sample.path.egressIP)
        out.raw(",\"local_ip\":")
        out.string(sample.localIP)
        out.raw(",\"local_port\":")
        out.integer(sample.localPort.map(Int64.init))
        out.raw(",\"remote_ip\":")
        out.string(sample.remoteIP)
        out.raw(",\"remote_port\":")
        out.integer(sample.remotePort.map(Int64.init))
        out.raw(",\"ip_version\":")
        out.integer(sample.ipVersion.map(Int64.init))
        out.raw(",\"http_version\":")
        out.string(sample.httpVersion)
        out.raw(",\"status\":")
        out.integer(sample.status.map(Int64.init))
        out.raw(sample.ok ? ",\"ok\":true,\"error\":" : ",\"ok\":false,\"error\":")
        if let error = sample.error {
            out.raw("{\"kind\":")
            out.string(error.kind.rawValue)
            out.raw(",\"code\":")
            out.integer(error.code.map(Int64.init))
            out.raw(",\"message\":")
            out.string(error.message)
            out.byte(UInt8(ascii: "}"))
        } else {
            out.raw("null")
        }
        let phases = sample.phases
        out.raw(",\"dns_ms\":")
        out.milliseconds(phases.dns)
        out.raw(",\"connect_ms\":")
        out.milliseconds(phases.connect)
        out.raw(",\"tls_ms\":")
        out.milliseconds(phases.tls)
        out.raw(",\"request_ms\":")
        out.milliseconds(phases.request)
        out.raw(",\"wait_ms\":")
        out.milliseconds(phases.wait)
        out.raw(",\"transfer_ms\":")
        out.milliseconds(phases.transfer)
        out.raw(",\"ttfb_ms\":")
        out.milliseconds(phases.ttfb)
        out.raw(",\"total_ms\":")
        out.milliseconds(phases.total)
        out.raw(",\"redirect_ms\":")
        out.milliseconds(phases.redirect)
        out.raw(",\"bytes\":")
        out.integer(sample.bytes)
        out.raw(",\"pop\":")
        out.string(sample.pop)
        out.raw(",\"edge_server\":")
        out.string(sample.edgeServer)
        out.raw(",\"edge_ref\":")
        out.string(sample.edgeRef)
        out.raw("}\n")
    }
}

extension Sample {
    /// UTF-8 bytes of every string field, for the encoder's worst-case size.
    var variableBytes: Int {
        func count(_ text: String?) -> Int { text?.utf8.count ?? 0 }
        return agent.utf8.count + count(site) + count(region) + batch.utf8.count + target.utf8.count
            + url.utf8.count + path.name.utf8.count + count(path.isp) + count(path.prefix) + count(path.egressIP)
            + count(localIP) + count(remoteIP) + count(httpVersion) + count(error?.message) + count(pop)
            + count(edgeServer) + count(edgeRef)
    }
}
