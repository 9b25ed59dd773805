#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An address to listen on, as the config's `metrics.listen` and `run --metrics-listen` spell it: `HOST:PORT`,
/// `:PORT` (loopback only, `127.0.0.1`), or `[IPV6]:PORT`.
///
/// The host is an IPv4 address (`0.0.0.0` for every interface), an IPv6 address in brackets (`[::1]`, `[::]`)
/// or `localhost`; other names are refused, as binding to a name would depend on the resolver. The port is 0
/// to 65535; 0 lets the system pick a free port (the listener then reports which). Parse with
/// ``init(_:)``; ``description`` gives the text back in the same form, brackets around an IPv6 host.
public struct ListenAddress: Sendable, Hashable, LosslessStringConvertible {
    /// The host without brackets: an IPv4 or IPv6 address, or `localhost`.
    public var host: String
    /// The TCP port, 0 to 65535 (0: any free port).
    public var port: Int

    /// Parses `HOST:PORT`, `:PORT` or `[IPV6]:PORT`; nil when `description` is none of these.
    public init?(_ description: String) {
        guard let address = try? Self.parse(description) else { return nil }
        self = address
    }

    /// `HOST:PORT`, with brackets around an IPv6 host: `127.0.0.1:9100`, `[::1]:9100`.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The host a bare `:PORT` listens on.
    static let loopbackHost = "127.0.0.1"

    /// What a listen address looks like, for messages.
    static let expectation = "HOST:PORT like 127.0.0.1:9100, :9100 or [::1]:9100"

    /// Makes an address from parts already checked.
    private init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `text`, saying what is wrong when it is not a listen address.
    static func parse(_ text: String) throws(ConfigValueProblem) -> ListenAddress {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw .expected(expectation, got: text, hint: "the IPv6 address lacks its closing ']'")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else {
                throw .expected(expectation, got: text, hint: "add the port after the brackets, like [::1]:9100")
            }
            portText = rest.dropFirst()
            guard ConfigValues.isIPv6(String(host)) else {
                throw ConfigValueProblem(message: "'\(host)' in '\(text)' is not an IPv6 address")
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                let bare = !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
                throw .expected(
                    expectation, got: text, hint: bare ? "a port alone is written :\(text)" : "add ':PORT'")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                throw .expected(expectation, got: text, hint: "put an IPv6 address in brackets, like [::1]:9100")
            }
            if !host.isEmpty, !ConfigValues.isIPv4(String(host)), host.lowercased() != "localhost" {
                throw ConfigValueProblem(
                    message: "host '\(host)' in '\(text)' must be an IPv4 address, an IPv6 address in brackets"
                        + " or localhost")
            }
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText), (0...65_535).contains(port)
        else {
            throw ConfigValueProblem(
                message: "invalid port '\(portText)' in '\(text)': expected 0 to 65535 (0 picks a free port)")
        }
        let resolved = host.isEmpty ? loopbackHost : host.lowercased() == "localhost" ? "localhost" : String(host)
        return ListenAddress(host: resolved, port: port)
    }
}
