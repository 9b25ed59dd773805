package import CurlKit

extension Phases {
    /// Splits libcurl's cumulative times into the schema's phases, guarding libcurl's known quirks so
    /// that an unknown phase is null rather than a false zero:
    /// - `APPCONNECT` is 0 without TLS, and after a failed handshake: `tls` is then null;
    /// - libcurl 7.88 reports `CONNECT` as 0 after a TLS failure (curl issue 10670): `connect` is null;
    /// - a reused connection (`NUM_CONNECTS` 0) made no lookup, connect or handshake of its own: those are
    ///   null and `request` carries the whole time before the request went out;
    /// - a phase after the point of failure is null; `total` is the time until the transfer ended.
    ///
    /// For a completed transfer with redirects off, the phases add up to `total` exactly.
    package init(report: TransferReport, tls usesTLS: Bool, followRedirects: Bool) {
        self.init()
        total = report.total
        redirect = followRedirects ? report.redirect : nil
        let answered = report.startTransfer > 0
        let reused = report.newConnections == 0 && answered
        if report.startTransfer > 0 { ttfb = report.startTransfer }
        if reused {
            request = report.preTransfer
        } else {
            if report.nameLookup > 0 || report.connect > 0 { dns = report.nameLookup }
            if report.connect > 0 {
                connect = report.connect - report.nameLookup
                if usesTLS, report.appConnect > 0 {
                    tls = report.appConnect - report.connect
                }
            }
            let setupDone = usesTLS ? report.appConnect : report.connect
            if report.preTransfer > 0, setupDone > 0 { request = report.preTransfer - setupDone }
        }
        if answered, report.preTransfer > 0 { wait = report.startTransfer - report.preTransfer }
        if answered, report.resultCode == 0 { transfer = report.total - report.startTransfer }
    }
}

extension SampleError {
    /// The schema's error for a finished transfer, or nil when it completed with an expected status.
    package init?(report: TransferReport, expect: StatusSet) {
        if report.cancelled {
            self.init(kind: .cancelled, code: nil, message: "probe cancelled by shutdown")
            return
        }
        if report.bodyLimitReached {
            self.init(kind: .other, code: report.resultCode, message: report.message)
            return
        }
        if report.resultCode != 0 {
            let kind = Self.kind(for: report)
            let message =
                kind == .http && report.resultCode == 27
                ? "response header too large for libcurl (a line over 100 KB): \(report.message)" : report.message
            self.init(kind: kind, code: report.resultCode, message: message)
            return
        }
        guard !expect.contains(report.status) else { return nil }
        self.init(kind: .http, code: nil, message: "unexpected HTTP status \(report.status) (expected \(expect))")
    }

    /// The error kind of a failed transfer: ``kind(forCurlCode:)``, except that running out of memory once the
    /// request was sent is `http`. libcurl answers a response header line longer than its limit (100 KB) with
    /// `CURLE_OUT_OF_MEMORY` (27); a server's oversized answer is far likelier than a real allocation failure.
    package static func kind(for report: TransferReport) -> Kind {
        if report.resultCode == 27, report.preTransfer > 0 { return .http }
        return kind(forCurlCode: report.resultCode)
    }

    /// The error kind for a libcurl result code (`CURLcode`).
    package static func kind(forCurlCode code: Int) -> Kind {
        switch code {
        case 5, 6: .dns  // COULDNT_RESOLVE_PROXY, COULDNT_RESOLVE_HOST
        case 7, 45: .connect  // COULDNT_CONNECT, INTERFACE_FAILED
        case 28: .timeout  // OPERATION_TIMEDOUT
        case 35, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98: .tls  // SSL_* and PEER_FAILED_VERIFICATION
        case 8, 16, 22, 47, 92, 100: .http  // WEIRD_SERVER_REPLY, HTTP2, HTTP_RETURNED_ERROR, TOO_MANY_REDIRECTS,
        // HTTP2_STREAM, TOO_LARGE (a header over the limit, libcurl 8.6 and later)
        case 55: .send  // SEND_ERROR
        case 18, 52, 56: .recv  // PARTIAL_FILE, GOT_NOTHING, RECV_ERROR
        case 42: .cancelled  // ABORTED_BY_CALLBACK
        default: .other
        }
    }
}

extension Sample {
    /// Builds the sample for one finished probe of `job`; `batch` and `seq` are given by the writer.
    package init(
        outcome: ProbeOutcome, job: ProbeJob, agent: String, site: String?, region: String?, round: Int64,
        batch: String = "", seq: Int64 = 0, edgeRules: [EdgeRule] = EdgeRule.defaultRules
    ) {
        let report = outcome.report
        let edge =
            report.capturedHeaders.isEmpty
            ? nil
            : EdgeIdentity.identify(headers: report.capturedHeaders, rules: edgeRules)
        let target = job.target
        let error = SampleError(report: report, expect: target.expect)
        self.init(
            timestamp: report.startedAt, agent: agent, site: site, region: region, batch: batch, seq: seq,
            round: round, n: outcome.n, target: target.name, url: target.url.redacted, method: target.method,
            path: job.path, localIP: report.localIP, localPort: report.localPort, remoteIP: report.remoteIP,
            remotePort: report.remotePort, ipVersion: report.remoteIP.map { $0.contains(":") ? 6 : 4 },
            httpVersion: report.status > 0 ? report.httpVersion : nil, status: report.status > 0 ? report.status : nil,
            ok: error == nil, error: error,
            phases: Phases(
                report: report, tls: target.url.scheme == "https",
                followRedirects: target.transfer.followRedirects),
            bytes: report.bodyBytes, pop: edge?.pop, edgeServer: edge?.server, edgeRef: edge?.ref
        )
    }
}
