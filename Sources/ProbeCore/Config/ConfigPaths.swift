import CurlKit

/// The `providers`, `paths` and `edge_rules` sections, and the checks that tie them together: one prefix
/// with one provider only, prefixes Microsoft would accept, paths naming known providers.
extension ConfigReader {
    /// One entry of `providers`.
    static let providerKeys = ConfigKeys(known: ["name", "asn", "peering_service", "prefixes"])
    /// One entry of `paths`.
    static let pathKeys = ConfigKeys(known: ["name", "provider", "bind", "egress_ip", "egress_discovery", "type"])
    /// One entry of `edge_rules`.
    static let edgeRuleKeys = ConfigKeys(known: ["header", "pattern"])

    /// `providers`: names unique, prefixes valid, acceptable for Peering Service, never shared.
    mutating func providers(_ section: ConfigEntry) throws(ConfigError) -> [ProviderConfig] {
        let expected = "a list of providers, each with a 'name'"
        var out: [ProviderConfig] = []
        var owners: [(prefix: IPPrefix, provider: String, entry: ConfigEntry)] = []
        for item in try items(of: section.value, path: section.path, expected: expected) {
            var provider = ProviderConfig(name: "", line: item.line ?? 0)
            var named = false
            for entry in try entries(
                of: item.value, path: item.path, keys: Self.providerKeys,
                expected: "a mapping with 'name', 'asn' and 'prefixes'")
            {
                switch entry.name {
                case "name":
                    provider.name = try string(entry)
                    named = true
                case "asn": provider.asn = Int64(try positiveInteger(entry))
                case "peering_service": provider.peeringService = try bool(entry)
                case "prefixes":
                    for prefixItem in try items(
                        of: entry.value, path: entry.path,
                        expected: "a list of CIDR prefixes like 203.0.113.0/24")
                    {
                        let text = try scalar(prefixItem, expected: "a CIDR prefix like 203.0.113.0/24")
                        let prefix: IPPrefix
                        do { prefix = try IPPrefix(parsing: text) } catch {
                            throw self.error("\(error)", at: prefixItem)
                        }
                        try checkRegistrable(prefix, at: prefixItem)
                        owners.append((prefix, provider.name, prefixItem))
                        provider.prefixes.append(prefix)
                    }
                default: preconditionFailure("key '\(entry.name)' is known but not read")
                }
            }
            guard named else {
                throw error("missing 'name': every provider needs a name", line: item.line, key: item.path)
            }
            if out.contains(where: { $0.name == provider.name }) {
                throw error(
                    "duplicate provider name '\(provider.name)'; provider names must be unique",
                    line: item.line, key: "\(item.path).name")
            }
            for index in owners.indices where owners[index].provider.isEmpty { owners[index].provider = provider.name }
            out.append(provider)
        }
        // One prefix, one provider (Azure Peering Service FAQ): equal or overlapping prefixes under two
        // providers are a configuration error. The table finds every overlapping pair by sorting.
        let table = PrefixTable(owners.indices.map { (owners[$0].prefix, $0) })
        let clashes = table.overlappingPairs()
            .map { pair in
                (
                    first: owners[min(pair.outerValue, pair.innerValue)],
                    second: owners[max(pair.outerValue, pair.innerValue)]
                )
            }
            .filter { $0.first.provider != $0.second.provider }
        if let clash = clashes.min(by: { ($0.second.entry.line ?? 0) < ($1.second.entry.line ?? 0) }) {
            let (first, second) = clash
            let how = first.prefix == second.prefix ? "is also registered" : "overlaps \(first.prefix) registered"
            throw error(
                "prefix \(second.prefix) of provider \(second.provider) \(how) with provider \(first.provider)"
                    + " (line \(first.entry.line ?? 0)); Peering Service allows a prefix with one provider only",
                at: second.entry)
        }
        return out
    }

    /// Prefixes Microsoft refuses for Peering Service are errors; documentation and IPv6 prefixes warnings.
    private mutating func checkRegistrable(_ prefix: IPPrefix, at entry: ConfigEntry) throws(ConfigError) {
        let refusal = prefix.registrationRefusal
        if let refusal {
            throw error(
                "prefix \(prefix) is \(refusal); Microsoft accepts only public prefixes for Peering Service",
                at: entry)
        }
        if prefix.isDocumentation {
            warn(
                "prefix \(prefix) is a documentation range; fine for tests, not for a real registration",
                line: entry.line, key: entry.path)
        } else if prefix.family == 6 {
            warn(
                "prefix \(prefix) is IPv6; check that your provider registers IPv6 prefixes for Peering Service",
                line: entry.line, key: entry.path)
        }
    }

    /// `paths`: names unique, providers known.
    mutating func paths(_ section: ConfigEntry, providers: [ProviderConfig]) throws(ConfigError) -> [PathConfig] {
        let expected = "a list of paths, each with a 'name'"
        var out: [PathConfig] = []
        for item in try items(of: section.value, path: section.path, expected: expected) {
            var path = PathConfig(name: "", line: item.line ?? 0)
            var named = false
            for entry in try entries(
                of: item.value, path: item.path, keys: Self.pathKeys,
                expected: "a mapping with 'name', 'provider' and 'bind'")
            {
                switch entry.name {
                case "name":
                    path.name = try string(entry)
                    named = true
                case "provider":
                    let name = try string(entry)
                    guard providers.contains(where: { $0.name == name }) else {
                        let known = providers.map(\.name).joined(separator: ", ")
                        throw error(
                            "unknown provider '\(name)'; the providers are: \(known.isEmpty ? "none" : known)",
                            at: entry)
                    }
                    path.provider = name
                case "bind": path.bind = try string(entry)
                case "egress_ip":
                    let text = try string(entry)
                    guard let address = IPAddress(text) else {
                        throw error("expected an IPv4 or IPv6 address, got '\(text)'", at: entry)
                    }
                    path.egressIP = address
                case "egress_discovery":
                    let text = try scalar(entry, expected: "an http:// or https:// URL")
                    do { path.egressDiscovery = try CurlURL(text) } catch {
                        throw self.error(error.description, at: entry)
                    }
                case "type":
                    let text = try string(entry)
                    guard text == "expressroute" || text == "internet" else {
                        throw error("expected 'internet' or 'expressroute', got '\(text)'", at: entry)
                    }
                    path.expressroute = text == "expressroute"
                default: preconditionFailure("key '\(entry.name)' is known but not read")
                }
            }
            guard named else { throw error("missing 'name': every path needs a name", line: item.line, key: item.path) }
            if out.contains(where: { $0.name == path.name }) {
                throw error(
                    "duplicate path name '\(path.name)'; path names must be unique", line: item.line,
                    key: "\(item.path).name")
            }
            out.append(path)
        }
        return out
    }

    /// `edge_rules`: user rules, tried before the shipped ones.
    func edgeRules(_ section: ConfigEntry) throws(ConfigError) -> [EdgeRule] {
        var out: [EdgeRule] = []
        for item in try items(
            of: section.value, path: section.path, expected: "a list of rules with 'header' and 'pattern'")
        {
            var header: String?
            var pattern: String?
            for entry in try entries(
                of: item.value, path: item.path, keys: Self.edgeRuleKeys,
                expected: "a mapping with 'header' and 'pattern'")
            {
                if entry.name == "header" { header = try string(entry) } else { pattern = try string(entry) }
            }
            guard let header, let pattern else {
                throw error("an edge rule needs both 'header' and 'pattern'", line: item.line, key: item.path)
            }
            do { out.append(try EdgeRule(header: header, pattern: pattern)) } catch {
                throw self.error("\(error)", line: item.line, key: item.path)
            }
        }
        return out
    }
}
