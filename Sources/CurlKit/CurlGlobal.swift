import CCurl

/// Process-wide libcurl initialisation.
///
/// `curl_global_init` is not thread-safe and must run once before any handle is made; a Swift
/// `static let` gives exactly that (it is initialised once, lazily, under a lock).
public enum CurlGlobal {
    private static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Initialises libcurl once; throws when libcurl cannot start (an environment fault).
    public static func ensureInitialised() throws(CurlError) {
        let code = initResult
        guard code == CURLE_OK else { throw CurlError(code: code, context: "curl_global_init") }
    }

    /// libcurl's version string, for example `7.88.1`.
    public static var version: String {
        guard let info = curl_version_info(CURLVERSION_TENTH), let version = info.pointee.version else { return "?" }
        return String(cString: version)
    }

    /// The CA bundle libcurl was built to use (Debian: `/etc/ssl/certs/ca-certificates.crt`), if any.
    public static var defaultCABundle: String? {
        guard let info = curl_version_info(CURLVERSION_TENTH), let cainfo = info.pointee.cainfo else { return nil }
        return String(cString: cainfo)
    }
}
