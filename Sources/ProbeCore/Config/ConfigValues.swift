package import CurlKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The value syntaxes of the config file (durations, sizes, statuses, pins, ...), parsed from plain text.
///
/// One place for them so that the config file and the command line (`--spacing 100ms`) accept exactly the same
/// spellings. The public functions answer nil for text they refuse; the config loader uses the throwing variants,
/// whose messages say what was expected.
package enum ConfigValues {
    /// A duration: a number and a unit, `500ms`, `10s`, `1.5s`, `5m`, `1h`, `2d`; nil for anything else,
    /// including a bare number (which unit would it be?).
    package static func duration(_ text: String) -> Duration? {
        try? parseDuration(text)
    }

    /// A size in bytes: `512`, `64KiB`, `1MiB`, `1GiB` (binary units) or `10kB`, `5MB`, `1GB` (decimal units);
    /// nil when malformed or too large.
    package static func size(_ text: String) -> Int64? {
        try? parseSize(text)
    }

    /// `true`/`false`, also `yes`/`no` and `on`/`off`, in any case; nil for anything else.
    package static func bool(_ text: String) -> Bool? {
        try? parseBool(text)
    }

    /// The address family: `any`, `4` or `6`; nil for anything else.
    package static func ipVersion(_ text: String) -> TransferOptions.IPVersion? {
        try? parseIPVersion(text)
    }

    /// `GET` or `HEAD`, in any case; nil for anything else.
    package static func method(_ text: String) -> HTTPMethod? {
        try? parseMethod(text)
    }

    /// Why `entry` is not a usable `HOST:PORT:ADDRESS` pin (`curl --resolve` syntax; several addresses may be
    /// separated by commas, IPv6 addresses may be in brackets), or nil when it is.
    package static func resolveEntryProblem(_ entry: String) -> String? {
        do {
            _ = try parseResolveEntry(entry)
            return nil
        } catch {
            return error.message
        }
    }

    /// Why `path` cannot be a CA bundle (`cacert`, `--cacert`): it must name a readable regular file (after
    /// symbolic links); nil when it does.
    package static func caFileProblem(_ path: String) -> String? {
        let shown = MessageText.escaped(path)
        guard !path.isEmpty else { return "the CA file name is empty" }
        var info = stat()
        guard stat(path, &info) == 0 else {
            return "cannot use CA file '\(shown)': \(String(cString: strerror(errno)))"
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return "cannot use CA file '\(shown)': it is not a regular file"
        }
        guard access(path, R_OK) == 0 else {
            return "cannot use CA file '\(shown)': \(String(cString: strerror(errno)))"
        }
        return nil
    }

    /// The shortest config spelling of `duration`: `2d`, `1h`, `5m`, `10s`, `1.5s`, `500ms`, `0.25ms`.
    package static func text(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanos == 0 { return "0s" }
        for (unit, size) in [("d", Int64(86_400_000_000_000)), ("h", 3_600_000_000_000), ("m", 60_000_000_000)]
        where nanos % size == 0 {
            return "\(nanos / size)\(unit)"
        }
        if nanos >= 1_000_000_000 { return decimal(nanos, scale: 1_000_000_000) + "s" }
        return decimal(nanos, scale: 1_000_000) + "ms"
    }

    // MARK: - Throwing parsers for the loader

    /// What a duration looks like, for messages.
    static let durationExpectation = "a duration like 500ms or 10s"
    /// What a size looks like, for messages.
    static let sizeExpectation = "a size in bytes like 512, 64KiB, 1MiB or 5MB"
    /// What a boolean looks like, for messages.
    static let boolExpectation = "true or false"
    /// What a whole number looks like, for messages.
    static let integerExpectation = "a whole number"
    /// What an address family looks like, for messages.
    static let ipVersionExpectation = "any, 4 or 6"
    /// What a method looks like, for messages.
    static let methodExpectation = "GET or HEAD"
    /// What a status set looks like, for messages.
    static let statusExpectation = "HTTP statuses like 200, '200-399' or '200-399,401' (codes 100 to 599)"
    /// What a pin looks like, for messages.
    static let resolveExpectation = "HOST:PORT:ADDRESS like 'example.com:443:192.0.2.10'"

    /// Parses a duration (see ``duration(_:)``).
    static func parseDuration(_ text: String) throws(ConfigValueProblem) -> Duration {
        guard let split = splitNumber(text) else { throw .expected(durationExpectation, got: text) }
        let (number, unit) = split
        let nanosPerUnit: Int64
        switch unit {
        case "ms": nanosPerUnit = 1_000_000
        case "s": nanosPerUnit = 1_000_000_000
        case "m": nanosPerUnit = 60_000_000_000
        case "h": nanosPerUnit = 3_600_000_000_000
        case "d": nanosPerUnit = 86_400_000_000_000
        case "":
            throw .expected(durationExpectation, got: text, hint: "add a unit: ms, s, m, h or d")
        default:
            throw .expected(durationExpectation, got: text, hint: "the units are ms, s, m, h and d")
        }
        guard let nanos = number.scaled(by: nanosPerUnit) else {
            throw ConfigValueProblem(message: "duration '\(text)' is too long")
        }
        return .nanoseconds(nanos)
    }

    /// Parses a size (see ``size(_:)``).
    static func parseSize(_ text: String) throws(ConfigValueProblem) -> Int64 {
        guard let split = splitNumber(text) else { throw .expected(sizeExpectation, got: text) }
        let (number, unit) = split
        let bytesPerUnit: Int64
        switch unit.lowercased() {
        case "", "b": bytesPerUnit = 1
        case "kb": bytesPerUnit = 1_000
        case "mb": bytesPerUnit = 1_000_000
        case "gb": bytesPerUnit = 1_000_000_000
        case "tb": bytesPerUnit = 1_000_000_000_000
        case "kib": bytesPerUnit = 1 << 10
        case "mib": bytesPerUnit = 1 << 20
        case "gib": bytesPerUnit = 1 << 30
        case "tib": bytesPerUnit = 1 << 40
        default:
            throw .expected(sizeExpectation, got: text, hint: "the units are B, kB, MB, GB, KiB, MiB and GiB")
        }
        if bytesPerUnit == 1 && number.fractionDigits > 0 {
            throw .expected(sizeExpectation, got: text, hint: "a number of bytes is a whole number")
        }
        guard let bytes = number.scaled(by: bytesPerUnit) else {
            throw ConfigValueProblem(message: "size '\(text)' is too large")
        }
        return bytes
    }

    /// Parses a boolean (see ``bool(_:)``).
    static func parseBool(_ text: String) throws(ConfigValueProblem) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw .expected(boolExpectation, got: text)
        }
    }

    /// Parses a whole number, `-5`, `10`, `10_000`.
    static func parseInteger(_ text: String) throws(ConfigValueProblem) -> Int {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        guard let first = digits.first, first.isASCII, first.isNumber, digits.last != "_",
            digits.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }),
            let value = Int(String(digits.filter { $0 != "_" }))
        else { throw .expected(integerExpectation, got: text) }
        return negative ? -value : value
    }

    /// Parses an address family (see ``ipVersion(_:)``).
    static func parseIPVersion(_ text: String) throws(ConfigValueProblem) -> TransferOptions.IPVersion {
        switch text.lowercased() {
        case "any": return .any
        case "4": return .v4
        case "6": return .v6
        default: throw .expected(ipVersionExpectation, got: text)
        }
    }

    /// Parses a method (see ``method(_:)``).
    static func parseMethod(_ text: String) throws(ConfigValueProblem) -> HTTPMethod {
        guard let method = HTTPMethod(rawValue: text.uppercased()) else {
            throw .expected(methodExpectation, got: text)
        }
        return method
    }

    /// Parses one status item: `200`, `200-399`, or a comma list of them.
    static func parseStatuses(_ text: String) throws(ConfigValueProblem) -> StatusSet {
        guard let set = StatusSet.parse(text) else { throw .expected(statusExpectation, got: text) }
        return set
    }

    /// Checks a header name: an HTTP token, so no spaces, colons or other separators.
    static func checkHeaderName(_ name: String) throws(ConfigValueProblem) {
        guard !name.isEmpty else { throw ConfigValueProblem(message: "a header name cannot be empty") }
        let separators = "!#$%&'*+-.^_`|~"
        let valid = name.unicodeScalars.allSatisfy { char in
            ("a"..."z").contains(char) || ("A"..."Z").contains(char) || ("0"..."9").contains(char)
                || separators.unicodeScalars.contains(char)
        }
        guard valid else {
            throw ConfigValueProblem(
                message: "invalid header name '\(name)': it cannot contain spaces, colons or other separators"
            )
        }
        guard !framingHeaders.contains(name.lowercased()) else {
            throw ConfigValueProblem(
                message: "header '\(name)' cannot be set: libcurl frames the request body itself"
            )
        }
    }

    /// Header names a target may not set: they describe the body framing, which libcurl owns.
    static let framingHeaders: Set<String> = ["content-length", "transfer-encoding"]

    /// Checks a header value: one line, no NUL (libcurl would cut the value there).
    static func checkHeaderValue(_ value: String, name: String) throws(ConfigValueProblem) {
        guard !value.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            throw ConfigValueProblem(message: "the value of header '\(name)' must be a single line")
        }
        guard !value.unicodeScalars.contains("\u{0}") else {
            throw ConfigValueProblem(message: "the value of header '\(name)' contains a NUL character")
        }
        guard !value.isEmpty else {
            throw ConfigValueProblem(message: "header '\(name)' has an empty value")
        }
    }

    /// A parsed `HOST:PORT:ADDRESS[,ADDRESS...]` pin.
    struct ResolveEntry: Sendable, Hashable {
        /// The host name the pin applies to.
        var host: String
        /// The port the pin applies to.
        var port: Int
        /// The addresses, without brackets.
        var addresses: [String]
    }

    /// Parses a pin (see ``resolveEntryProblem(_:)``).
    static func parseResolveEntry(_ entry: String) throws(ConfigValueProblem) -> ResolveEntry {
        let parts = entry.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[2].isEmpty,
            !parts[0].contains(where: { $0 == " " || $0 == "[" || $0 == "]" || $0 == "\t" })
        else { throw .expected(resolveExpectation, got: entry) }
        guard let port = Int(parts[1]), (1...65_535).contains(port), parts[1].allSatisfy(\.isASCII) else {
            throw ConfigValueProblem(message: "invalid port '\(parts[1])' in '\(entry)': expected 1 to 65535")
        }
        var addresses: [String] = []
        for item in parts[2].split(separator: ",", omittingEmptySubsequences: false) {
            var address = String(item)
            let bracketed = address.hasPrefix("[") && address.hasSuffix("]") && address.count >= 2
            if bracketed { address = String(address.dropFirst().dropLast()) }
            guard (!bracketed && isIPv4(address)) || isIPv6(address) else {
                throw ConfigValueProblem(
                    message: "invalid address '\(item)' in '\(entry)': expected an IPv4 or IPv6 address"
                )
            }
            addresses.append(address)
        }
        return ResolveEntry(host: String(parts[0]), port: port, addresses: addresses)
    }

    // MARK: - Helpers

    /// True for a dotted-quad IPv4 address.
    static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    /// True for an IPv6 address (without brackets).
    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }

    /// A non-negative decimal number as written, `1.5` is whole 1, fraction 5, 1 fraction digit.
    struct DecimalNumber {
        /// The digits before the point.
        var whole: Int64
        /// The digits after the point, as a number.
        var fraction: Int64
        /// How many digits follow the point (at most 9 are kept).
        var fractionDigits: Int

        /// The number times `unit`, truncated to a whole number; nil on overflow.
        func scaled(by unit: Int64) -> Int64? {
            let (wholePart, overflow) = whole.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            guard fractionDigits > 0 else { return wholePart }
            var divisor: Int64 = 1
            for _ in 0..<fractionDigits { divisor *= 10 }
            // fraction < divisor <= 10^9 and unit < 10^14: split the unit to stay inside Int64.
            let fractionPart = fraction * (unit / divisor) + fraction * (unit % divisor) / divisor
            let (total, overflow2) = wholePart.addingReportingOverflow(fractionPart)
            return overflow2 ? nil : total
        }
    }

    /// Splits `1.5 s` into the number and the unit (spaces allowed between); nil when the text is not a
    /// non-negative decimal number followed by letters only.
    static func splitNumber(_ text: String) -> (DecimalNumber, String)? {
        let chars = Array(String(Substring(text).trimmingWhitespace()).unicodeScalars)
        guard !chars.isEmpty else { return nil }
        var index = 0
        var whole: Int64 = 0
        var wholeDigits = 0
        func isDigit(_ char: Unicode.Scalar) -> Bool { ("0"..."9").contains(char) }
        while index < chars.count, isDigit(chars[index]) {
            let (times, overflow1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(chars[index].value - 48))
            if overflow1 || overflow2 { return nil }
            whole = sum
            wholeDigits += 1
            index += 1
        }
        var fraction: Int64 = 0
        var fractionDigits = 0
        if index < chars.count, chars[index] == "." {
            index += 1
            while index < chars.count, isDigit(chars[index]) {
                if fractionDigits < 9 {
                    fraction = fraction * 10 + Int64(chars[index].value - 48)
                    fractionDigits += 1
                }
                index += 1
            }
            if fractionDigits == 0 { return nil }
        }
        guard wholeDigits + fractionDigits > 0 else { return nil }
        while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 }
        var unit = String.UnicodeScalarView()
        unit.append(contentsOf: chars[index...])
        guard unit.allSatisfy({ $0.properties.isAlphabetic }) else { return nil }
        return (DecimalNumber(whole: whole, fraction: fraction, fractionDigits: fractionDigits), String(unit))
    }

    /// `nanos / scale` with up to 6 decimals and no trailing zeros.
    private static func decimal(_ value: Int64, scale: Int64) -> String {
        let whole = value / scale
        var rest = value % scale
        guard rest != 0 else { return "\(whole)" }
        var digits = ""
        var step = scale
        while rest != 0 && digits.count < 6 {
            step /= 10
            guard step > 0 else { break }
            digits += "\(rest / step)"
            rest %= step
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return digits.isEmpty ? "\(whole)" : "\(whole).\(digits)"
    }
}

/// Why a value was refused, without its location: the loader adds file, line and key.
struct ConfigValueProblem: Error, Sendable {
    /// The complete message, like `expected a duration like 500ms or 10s, got 'abc'`.
    var message: String

    /// `expected WHAT, got 'TEXT'`, then `; HINT` when there is one.
    static func expected(_ what: String, got text: String, hint: String? = nil) -> ConfigValueProblem {
        ConfigValueProblem(message: "expected \(what), got '\(text)'" + (hint.map { "; \($0)" } ?? ""))
    }
}
