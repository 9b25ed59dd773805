import CCurl

/// One libcurl easy handle, reused for many transfers, one at a time.
///
/// Not thread-safe: a transfer belongs to the thread that drives its ``MultiHandle``. The handle is
/// reset and fully configured again for every transfer, so no option leaks from one probe to the next.
public final class Transfer {
    let handle: UnsafeMutableRawPointer
    private var errorBuffer: UnsafeMutablePointer<CChar>
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private var captureNames: [[UInt8]] = []
    private var bodyLimit: Int64 = 0
    private var keepBody = 0
    fileprivate(set) var report = TransferReport()
    /// Opaque value for the owner (for example the index of the probe this transfer runs).
    public var tag: Int = 0

    /// Makes an easy handle; throws when libcurl cannot.
    public init() throws(CurlError) {
        try CurlGlobal.ensureInitialised()
        guard let handle = curl_easy_init() else { throw CurlError(numericCode: 27, context: "curl_easy_init") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        freeLists()
        errorBuffer.deallocate()
    }

    private func freeLists() {
        for list in lists { curl_slist_free_all(list) }
        lists.removeAll(keepingCapacity: true)
    }

    private func list(_ items: [String]) -> UnsafeMutablePointer<curl_slist>? {
        guard !items.isEmpty else { return nil }
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items { list = curl_slist_append(list, item) }
        if let list { lists.append(list) }
        return list
    }

    /// Resets the handle and applies `options` plus the fixed measurement rules.
    public func configure(_ options: TransferOptions, caFile defaultCAFile: String?) throws(CurlError) {
        curl_easy_reset(handle)
        freeLists()
        report = TransferReport()
        errorBuffer[0] = 0
        bodyLimit = options.maxBodyBytes
        keepBody = options.keepBodyBytes
        captureNames = options.captureHeaders.map { Array($0.lowercased().utf8) }

        func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
            let rc = ccurl_easy_setopt_long(handle, option, value)
            guard rc == CURLE_OK else {
                throw CurlError(code: rc, context: "setting libcurl option \(option.rawValue)")
            }
        }
        func set(_ option: CURLoption, _ value: String?) throws(CurlError) {
            let rc = ccurl_easy_setopt_string(handle, option, value)
            guard rc == CURLE_OK else {
                throw CurlError(code: rc, context: "setting libcurl option \(option.rawValue)")
            }
        }
        func set(_ option: CURLoption, list items: [String]) throws(CurlError) {
            guard let list = list(items) else { return }
            let rc = ccurl_easy_setopt_slist(handle, option, list)
            guard rc == CURLE_OK else {
                throw CurlError(code: rc, context: "setting libcurl option \(option.rawValue)")
            }
        }

        try set(CURLOPT_URL, options.url)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_NOPROGRESS, 1)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_PRIVATE, Unmanaged.passUnretained(self).toOpaque())
        // Measurement rules (ProbeCore's MeasuringLatency article): a fresh connection, a real lookup, no TLS
        // resumption.
        try set(CURLOPT_FRESH_CONNECT, 1)
        try set(CURLOPT_FORBID_REUSE, 1)
        try set(CURLOPT_DNS_CACHE_TIMEOUT, 0)
        try set(CURLOPT_SSL_SESSIONID_CACHE, 0)
        // Keep client CPU out of the TLS phase: one CA file, no CA path, libcurl's CA cache.
        if options.insecure {
            try set(CURLOPT_SSL_VERIFYPEER, 0)
            try set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        try set(CURLOPT_CAINFO, options.caFile ?? defaultCAFile)
        try set(CURLOPT_CAPATH, nil as String?)
        try set(CURLOPT_CA_CACHE_TIMEOUT, 86_400)

        if options.head { try set(CURLOPT_NOBODY, 1) } else { try set(CURLOPT_HTTPGET, 1) }
        try set(CURLOPT_CONNECTTIMEOUT_MS, max(1, options.connectTimeoutMilliseconds))
        try set(CURLOPT_TIMEOUT_MS, max(1, options.timeoutMilliseconds))
        switch options.ipVersion {
        case .any: break
        case .v4: try set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V4))
        case .v6: try set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V6))
        }
        if let interface = options.interface { try set(CURLOPT_INTERFACE, interface) }
        try set(CURLOPT_RESOLVE, list: options.resolve)
        try set(CURLOPT_CONNECT_TO, list: options.connectTo)
        try set(CURLOPT_HTTPHEADER, list: options.headers)
        try set(CURLOPT_USERAGENT, options.userAgent)
        try set(CURLOPT_FOLLOWLOCATION, options.followRedirects ? 1 : 0)
        if options.followRedirects { try set(CURLOPT_MAXREDIRS, 10) }
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")

        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, transferWriteCallback)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        if !captureNames.isEmpty {
            _ = ccurl_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, transferHeaderCallback)
            _ = ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        }
    }

    /// Called by the multi handle when the transfer starts.
    func markStarted(at microseconds: Int64) {
        report.startedAt = microseconds
    }

    /// Marks the transfer as cancelled by the caller (before it is removed from its multi handle).
    func markCancelled() {
        report.cancelled = true
    }

    /// Reads libcurl's information after the transfer ended with `code`.
    func finish(code: CURLcode) -> TransferReport {
        var out = report
        out.resultCode = Int(code.rawValue)
        if code == CURLE_WRITE_ERROR && out.bodyLimitReached {
            out.message = "response body larger than max_bytes (\(bodyLimit) bytes); transfer stopped there"
        } else if code != CURLE_OK {
            let detail = String(cString: errorBuffer)
            out.message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        }
        func time(_ info: CURLINFO) -> Int64 {
            var value: curl_off_t = 0
            return ccurl_easy_getinfo_off_t(handle, info, &value) == CURLE_OK ? Int64(value) : 0
        }
        func long(_ info: CURLINFO) -> Int {
            var value: Int = 0
            return ccurl_easy_getinfo_long(handle, info, &value) == CURLE_OK ? value : 0
        }
        func string(_ info: CURLINFO) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard ccurl_easy_getinfo_string(handle, info, &value) == CURLE_OK, let value, value[0] != 0 else {
                return nil
            }
            return String(cString: value)
        }
        out.nameLookup = time(CURLINFO_NAMELOOKUP_TIME_T)
        out.connect = time(CURLINFO_CONNECT_TIME_T)
        out.appConnect = time(CURLINFO_APPCONNECT_TIME_T)
        out.preTransfer = time(CURLINFO_PRETRANSFER_TIME_T)
        out.startTransfer = time(CURLINFO_STARTTRANSFER_TIME_T)
        out.total = time(CURLINFO_TOTAL_TIME_T)
        out.redirect = time(CURLINFO_REDIRECT_TIME_T)
        out.newConnections = long(CURLINFO_NUM_CONNECTS)
        out.status = long(CURLINFO_RESPONSE_CODE)
        switch long(CURLINFO_HTTP_VERSION) {
        case CURL_HTTP_VERSION_1_0: out.httpVersion = "1.0"
        case CURL_HTTP_VERSION_1_1: out.httpVersion = "1.1"
        case CURL_HTTP_VERSION_2_0: out.httpVersion = "2"
        case CURL_HTTP_VERSION_3: out.httpVersion = "3"
        default: out.httpVersion = nil
        }
        out.remoteIP = string(CURLINFO_PRIMARY_IP)
        let remotePort = long(CURLINFO_PRIMARY_PORT)
        out.remotePort = remotePort == 0 ? nil : remotePort
        out.localIP = string(CURLINFO_LOCAL_IP)
        let localPort = long(CURLINFO_LOCAL_PORT)
        out.localPort = localPort == 0 ? nil : localPort
        report = TransferReport()
        return out
    }

    fileprivate func receivedBody(_ data: UnsafePointer<CChar>?, _ count: Int) -> Int {
        if keepBody > report.body.count, let data {
            let take = min(count, keepBody - report.body.count)
            data.withMemoryRebound(to: UInt8.self, capacity: take) {
                report.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: take))
            }
        }
        let next = report.bodyBytes + Int64(count)
        if next > bodyLimit {
            report.bodyBytes = bodyLimit
            report.bodyLimitReached = true
            return 0  // makes libcurl stop with CURLE_WRITE_ERROR
        }
        report.bodyBytes = next
        return count
    }

    fileprivate func receivedHeader(_ line: UnsafeBufferPointer<UInt8>) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        for name in captureNames where name.count == colon {
            var same = true
            for index in 0..<colon where lowercase(line[index]) != name[index] {
                same = false
                break
            }
            guard same else { continue }
            var start = colon + 1
            var end = line.count
            while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
            while end > start, line[end - 1] == 0x0A || line[end - 1] == 0x0D || line[end - 1] == 0x20 { end -= 1 }
            let value = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
            report.capturedHeaders.append((name: String(decoding: name, as: UTF8.self), value: value))
            return
        }
    }
}

@inline(__always)
private func lowercase(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
}

private func transferWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata else { return 0 }
    return Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue().receivedBody(data, size * count)
}

private func transferHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata, let data else { return 0 }
    let bytes = UnsafeBufferPointer(
        start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
    Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue().receivedHeader(bytes)
    return size * count
}
