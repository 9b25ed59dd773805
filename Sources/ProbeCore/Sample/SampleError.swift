/// What went wrong with a probe, as written in the `error` object.
public struct SampleError: Sendable, Hashable {
    /// The class of failure, stable for reports and alerting.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Name resolution failed.
        case dns
        /// TCP connect failed (refused, unreachable).
        case connect
        /// TLS handshake or certificate verification failed.
        case tls
        /// A connect or total timeout ran out.
        case timeout
        /// The server answered, but not with an expected status, or spoke broken HTTP.
        case http
        /// Sending the request failed.
        case send
        /// Receiving the response failed (reset, truncated, nothing received).
        case recv
        /// The probe was stopped by shutdown.
        case cancelled
        /// Anything else.
        case other
    }

    /// The class of failure.
    public var kind: Kind
    /// libcurl's result code, nil when the failure is not libcurl's (an unexpected status).
    public var code: Int?
    /// Human-readable detail.
    public var message: String

    /// Makes an error record.
    public init(kind: Kind, code: Int?, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }
}
