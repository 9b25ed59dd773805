import CCurl

/// A URL as libcurl parses it (`curl_url`), so that what peering-probe validates is exactly what it
/// will later fetch.
public struct CurlURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL as given, normalised by libcurl.
    public let full: String
    /// `http` or `https`, lower case.
    public let scheme: String
    /// The host name or address (IPv6 without brackets).
    public let host: String
    /// The port, explicit or the scheme's default.
    public let port: Int
    /// The URL without user info, query or fragment: safe to write into samples and logs.
    public let redacted: String

    /// Why a URL was refused, in words a user can act on.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        /// The complete message.
        public let description: String
    }

    /// Parses `text`; accepts only absolute `http` and `https` URLs with a host.
    public init(_ text: String) throws(ParseError) {
        guard let handle = curl_url() else { throw ParseError(description: "cannot parse URL: out of memory") }
        defer { curl_url_cleanup(handle) }
        let rc = curl_url_set(handle, CURLUPART_URL, text, UInt32(CURLU_NON_SUPPORT_SCHEME))
        guard rc == CURLUE_OK else {
            let why = String(cString: curl_url_strerror(rc))
            throw ParseError(description: "malformed URL '\(Self.redactForMessage(text))': \(why)")
        }
        func part(_ what: CURLUPart, _ flags: UInt32 = 0) -> String? {
            var out: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, what, &out, flags) == CURLUE_OK, let out else { return nil }
            defer { curl_free(out) }
            return String(cString: out)
        }
        let scheme = (part(CURLUPART_SCHEME) ?? "").lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw ParseError(
                description: "URL '\(Self.redactForMessage(text))' is not HTTP or HTTPS (scheme '\(scheme)')")
        }
        guard var host = part(CURLUPART_HOST), !host.isEmpty else {
            throw ParseError(description: "URL '\(Self.redactForMessage(text))' has no host")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port =
            part(CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)).flatMap { Int($0) } ?? (scheme == "https" ? 443 : 80)
        self.scheme = scheme
        self.host = host
        self.port = port
        self.full = part(CURLUPART_URL) ?? text
        _ = curl_url_set(handle, CURLUPART_USER, nil, 0)
        _ = curl_url_set(handle, CURLUPART_PASSWORD, nil, 0)
        _ = curl_url_set(handle, CURLUPART_OPTIONS, nil, 0)
        _ = curl_url_set(handle, CURLUPART_QUERY, nil, 0)
        _ = curl_url_set(handle, CURLUPART_FRAGMENT, nil, 0)
        self.redacted = part(CURLUPART_URL) ?? "\(scheme)://\(host)"
    }

    /// The URL with any user info redacted, safe for logs.
    public var description: String { redacted }

    /// Best-effort redaction of text that did not even parse, for error messages: drops user info,
    /// query and fragment by plain byte search.
    private static func redactForMessage(_ text: String) -> String {
        var chars = Array(text)
        if let cut = chars.firstIndex(where: { $0 == "?" || $0 == "#" }) { chars.removeSubrange(cut...) }
        var schemeEnd = 0
        for index in chars.indices.dropLast(2)
        where chars[index] == ":" && chars[index + 1] == "/"
            && chars[index + 2] == "/"
        {
            schemeEnd = index + 3
            break
        }
        let authorityEnd = chars[schemeEnd...].firstIndex(of: "/") ?? chars.endIndex
        if let at = chars[schemeEnd..<authorityEnd].lastIndex(of: "@") { chars.removeSubrange(schemeEnd...at) }
        return String(chars)
    }
}
