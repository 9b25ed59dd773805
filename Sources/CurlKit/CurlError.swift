import CCurl

/// A libcurl failure outside a transfer: a handle that cannot be made, an option libcurl refuses.
///
/// Transfer failures are not thrown; they are reported in ``TransferReport`` because failures are data.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// The libcurl result code (`CURLcode`) as a number.
    public let code: Int
    /// What was being done when libcurl refused.
    public let context: String

    /// Makes an error from an easy-interface result code.
    init(code: CURLcode, context: String) {
        self.code = Int(code.rawValue)
        self.context = context
    }

    /// Makes an error with a numeric code (multi-interface codes, URL-API codes).
    public init(numericCode: Int, context: String) {
        self.code = numericCode
        self.context = context
    }

    /// A one-line message for people.
    public var description: String {
        let text = String(cString: curl_easy_strerror(CURLcode(UInt32(truncatingIfNeeded: code))))
        return "\(context): \(text) (libcurl code \(code))"
    }
}
