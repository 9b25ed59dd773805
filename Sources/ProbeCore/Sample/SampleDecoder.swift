/// Reads NDJSON lines of sample schema v1 back into ``Sample`` values: for tests and small tools.
///
/// Written for correctness, not speed (a small hand-written JSON parser builds a value tree per line; report
/// code that reads large files should scan bytes instead). It is strict where the schema is: every v1 field
/// must be present (nullable ones may be `null`), with its schema type, and `schema` must be 1. Fields it
/// does not know are ignored, since the schema may add fields. Durations are read back to the microsecond:
/// `12.345` is 12,345 µs exactly, and a value with finer digits is rounded to the nearest microsecond.
public struct SampleDecoder: Sendable {
    /// Makes a decoder (it has no state).
    public init() {}

    /// Decodes one line (one JSON object; surrounding whitespace and a trailing newline are allowed).
    public func decode(line: some Collection<UInt8>) throws(SampleDecodingError) -> Sample {
        let value: JSONNode
        do throws(JSONSyntaxError) {
            value = try JSONParser.parse(line)
        } catch {
            throw SampleDecodingError(.malformedJSON(offset: error.offset, detail: error.detail))
        }
        guard case .object(let members) = value else { throw SampleDecodingError(.notAnObject) }
        return try Self.sample(from: JSONFields(members: members, prefix: ""))
    }

    /// Decodes one line given as text.
    public func decode(line: String) throws(SampleDecodingError) -> Sample {
        try decode(line: Array(line.utf8))
    }

    /// Decodes every line of an NDJSON document; blank lines are skipped, `\r\n` line ends are accepted.
    /// An error names its 1-based line number in ``SampleDecodingError/line``.
    public func decodeLines(_ ndjson: some Collection<UInt8>) throws(SampleDecodingError) -> [Sample] {
        var samples: [Sample] = []
        var lineNumber = 0
        for line in Array(ndjson).split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { !JSONGrammar.isWhitespace($0) }) else { continue }
            do throws(SampleDecodingError) {
                samples.append(try decode(line: line))
            } catch {
                var located = error
                located.line = lineNumber
                throw located
            }
        }
        return samples
    }

    private static func sample(from fields: JSONFields) throws(SampleDecodingError) -> Sample {
        let schema = try fields.integer("schema")
        guard schema == Int64(Sample.schemaVersion) else { throw SampleDecodingError(.unsupportedSchema(schema)) }
        let ts = try fields.string("ts")
        guard let timestamp = Timestamp.parseRFC3339(ts) else {
            throw SampleDecodingError(.invalidValue(field: "ts", detail: "not an RFC 3339 timestamp: \"\(ts)\""))
        }
        let path = try PathTags(
            name: fields.string("path"), type: fields.enumeration("path_type", PathType.self),
            isp: fields.optionalString("isp"), asn: fields.optionalInteger("asn"),
            prefix: fields.optionalString("prefix"), egressIP: fields.optionalString("egress_ip"))
        let phases = try Phases(
            dns: fields.milliseconds("dns_ms"), connect: fields.milliseconds("connect_ms"),
            tls: fields.milliseconds("tls_ms"), request: fields.milliseconds("request_ms"),
            wait: fields.milliseconds("wait_ms"), transfer: fields.milliseconds("transfer_ms"),
            ttfb: fields.milliseconds("ttfb_ms"), total: fields.milliseconds("total_ms"),
            redirect: fields.milliseconds("redirect_ms"))
        return try Sample(
            timestamp: timestamp, agent: fields.string("agent"), site: fields.optionalString("site"),
            region: fields.optionalString("region"), batch: fields.string("batch"), seq: fields.integer("seq"),
            round: fields.integer("round"), n: fields.int("n"), target: fields.string("target"),
            url: fields.string("url"), method: fields.enumeration("method", HTTPMethod.self), path: path,
            localIP: fields.optionalString("local_ip"), localPort: fields.optionalInt("local_port"),
            remoteIP: fields.optionalString("remote_ip"), remotePort: fields.optionalInt("remote_port"),
            ipVersion: fields.optionalInt("ip_version"), httpVersion: fields.optionalString("http_version"),
            status: fields.optionalInt("status"), ok: fields.bool("ok"), error: error(fields),
            phases: phases, bytes: fields.integer("bytes"), pop: fields.optionalString("pop"),
            edgeServer: fields.optionalString("edge_server"), edgeRef: fields.optionalString("edge_ref"))
    }

    private static func error(_ fields: JSONFields) throws(SampleDecodingError) -> SampleError? {
        guard let object = try fields.optionalObject("error") else { return nil }
        return try SampleError(
            kind: object.enumeration("kind", SampleError.Kind.self), code: object.optionalInt("code"),
            message: object.string("message"))
    }
}
