import CurlKit

/// The config schema: which keys each section holds and how they become a ``ProbeConfig``.
///
/// Keys are read in file order, so the first mistake in the file is the one reported.
extension ConfigReader {
    // MARK: - Keys

    /// The settings a target may override (everything in `defaults` except `concurrency`).
    static let probeSettingKeys = [
        "count", "spacing", "connect_timeout", "timeout", "expect", "method", "max_bytes", "ip_version",
        "insecure", "cacert", "headers", "follow_redirects",
    ]
    /// Keys of `output`.
    static let outputKeyNames = ["dir", "batch_size", "batch_age", "retention", "retention_size", "buffer"]
    /// Keys of `schedule`.
    static let scheduleKeyNames = ["interval", "egress_discovery"]
    /// Keys of `metrics`.
    static let metricsKeyNames = ["listen"]
    /// Keys only a target may have.
    static let targetOnlyKeys = ["name", "url", "resolve"]

    /// The top level.
    static let topKeys = ConfigKeys(
        known: [
            "agent", "site", "region", "output", "schedule", "metrics", "defaults", "providers", "paths", "targets",
            "edge_rules",
        ],
        elsewhere: Dictionary(
            uniqueKeysWithValues: (probeSettingKeys + ["concurrency"])
                .map { ($0, "it belongs under 'defaults' or in a target") }
                + outputKeyNames.map { ($0, "it belongs under 'output'") }
                + [
                    ("interval", "it belongs under 'schedule' or in a target"),
                    ("listen", "it belongs under 'metrics'"),
                ]
                + targetOnlyKeys.map { ($0, "it belongs in an entry of 'targets'") }
        )
    )
    /// `output`.
    static let outputKeys = ConfigKeys(known: outputKeyNames)
    /// `schedule`.
    static let scheduleKeys = ConfigKeys(known: scheduleKeyNames)
    /// `metrics`.
    static let metricsKeys = ConfigKeys(known: metricsKeyNames)
    /// `defaults`.
    static let defaultsKeys = ConfigKeys(
        known: probeSettingKeys + ["concurrency"],
        elsewhere: Dictionary(
            uniqueKeysWithValues: targetOnlyKeys.map { ($0, "it can only be set per target, in an entry of 'targets'") }
                + [("interval", "it belongs under 'schedule' or in a target")]
        )
    )
    /// One entry of `targets`.
    static let targetKeys = ConfigKeys(
        known: ["name", "url"] + probeSettingKeys + ["resolve", "paths", "interval"],
        elsewhere: ["concurrency": "it can only be set under 'defaults' (it limits transfers across all targets)"]
    )

    // MARK: - Document

    /// Where in the config file each setting of one section was written (its ``ConfigEntry``, with line and
    /// key path), by key: for the errors and warnings that point at a setting.
    typealias SettingLocations = [String: ConfigEntry]

    /// The whole config from the root node of the YAML document.
    mutating func config(from root: YAMLNode) throws(ConfigError) -> ProbeConfig {
        let expected = "a mapping of settings such as 'defaults' and 'targets'"
        guard case .mapping = root else {
            throw error("expected \(expected), got \(Self.describe(root))", line: root.mark.line, key: nil)
        }
        var config = ProbeConfig(source: source, targets: [])
        var targets: [(target: TargetConfig, locations: SettingLocations)]?
        var defaultLocations = SettingLocations()
        var pathsEntry: ConfigEntry?
        for entry in try entries(of: root, path: "", keys: Self.topKeys, expected: expected) {
            switch entry.name {
            case "agent": config.agent = try agent(entry)
            case "site": config.site = try string(entry)
            case "region": config.region = try string(entry)
            case "output": config.output = try output(entry)
            case "schedule": config.schedule = try schedule(entry)
            case "metrics": config.metrics = try metrics(entry)
            case "defaults": (config.defaults, defaultLocations) = try defaults(entry)
            case "targets": targets = try self.targets(entry)
            case "providers": config.providers = try providers(entry)
            case "paths": pathsEntry = entry
            case "edge_rules": config.edgeRules = try edgeRules(entry)
            default: preconditionFailure("key '\(entry.name)' is known but not read")
            }
        }
        guard let targets else {
            throw error("no targets: add at least one, like '- url: https://example.com/'", line: nil, key: "targets")
        }
        // Paths name providers, which may come later in the file: read them once every provider is known.
        if let pathsEntry { config.paths = try paths(pathsEntry, providers: config.providers) }
        for (target, locations) in targets {
            for name in target.paths ?? [] where !config.effectivePaths.contains(where: { $0.name == name }) {
                let known = config.effectivePaths.map(\.name).joined(separator: ", ")
                throw error(
                    "unknown path '\(name)'; the paths are: \(known)", line: locations["paths"]?.line,
                    key: locations["paths"]?.path)
            }
        }
        config.targets = targets.map(\.target)
        if let problem = ConfigLimits.roundProblem(samples: config.roundSampleCount()) {
            let location = defaultLocations["count"]
            throw error(problem, line: location?.line, key: location?.path ?? "targets")
        }
        checkDefaults(config.defaults, locations: defaultLocations)
        for (target, locations) in targets { check(target, locations: locations, defaults: config.defaults) }
        return config
    }

    /// `agent`: it names a folder and every batch file, so only a safe character set and a bounded length
    /// (``ConfigLimits/agentIDProblem(_:)``).
    private func agent(_ entry: ConfigEntry) throws(ConfigError) -> String {
        let text = try string(entry)
        if let problem = ConfigLimits.agentIDProblem(text) { throw error(problem, at: entry) }
        return text
    }

    // MARK: - Sections

    /// `output`.
    private func output(_ section: ConfigEntry) throws(ConfigError) -> OutputSettings {
        var output = OutputSettings()
        let expected = "a mapping with keys such as 'dir' and 'batch_size'"
        for entry in try entries(of: section.value, path: section.path, keys: Self.outputKeys, expected: expected) {
            switch entry.name {
            case "dir": output.dir = try string(entry)
            case "batch_size": output.batchMaxSamples = try integer(entry, in: ConfigLimits.batchSize)
            case "batch_age": output.batchMaxAge = try duration(entry, in: ConfigLimits.batchAge)
            case "retention": output.retention = try duration(entry, in: ConfigLimits.retention)
            case "retention_size": output.retentionSize = try size(entry, in: ConfigLimits.retentionSize)
            case "buffer": output.bufferSamples = try integer(entry, in: ConfigLimits.buffer)
            default: preconditionFailure("key '\(entry.name)' is known but not read")
            }
        }
        return output
    }

    /// `schedule`.
    private func schedule(_ section: ConfigEntry) throws(ConfigError) -> ScheduleSettings {
        var schedule = ScheduleSettings()
        let expected = "a mapping with the keys 'interval' and 'egress_discovery'"
        for entry in try entries(of: section.value, path: section.path, keys: Self.scheduleKeys, expected: expected) {
            switch entry.name {
            case "interval": schedule.interval = try duration(entry, in: ConfigLimits.interval)
            case "egress_discovery":
                schedule.egressDiscovery = try duration(entry, in: ConfigLimits.egressDiscovery)
            default: preconditionFailure("key '\(entry.name)' is known but not read")
            }
        }
        return schedule
    }

    /// `metrics`.
    private func metrics(_ section: ConfigEntry) throws(ConfigError) -> MetricsSettings {
        var metrics = MetricsSettings()
        let expected = "a mapping with the key 'listen'"
        for entry in try entries(of: section.value, path: section.path, keys: Self.metricsKeys, expected: expected) {
            switch entry.name {
            case "listen":
                metrics.listen = try value(entry, expected: ListenAddress.expectation, ListenAddress.parse)
            default: preconditionFailure("key '\(entry.name)' is known but not read")
            }
        }
        return metrics
    }

    /// `defaults`, and where each of its settings was written.
    private func defaults(_ section: ConfigEntry) throws(ConfigError) -> (ProbeDefaults, SettingLocations) {
        var defaults = ProbeDefaults()
        var locations = SettingLocations()
        let expected = "a mapping with keys such as 'count' and 'timeout'"
        for entry in try entries(of: section.value, path: section.path, keys: Self.defaultsKeys, expected: expected) {
            locations[entry.name] = entry
            if entry.name == "concurrency" {
                defaults.concurrency = try integer(entry, in: ConfigLimits.concurrency)
                continue
            }
            switch try probeSetting(entry) {
            case .count(let value): defaults.count = value
            case .spacing(let value): defaults.spacing = value
            case .connectTimeout(let value): defaults.connectTimeout = value
            case .timeout(let value): defaults.timeout = value
            case .expect(let value): defaults.expect = value
            case .method(let value): defaults.method = value
            case .maxBytes(let value): defaults.maxBytes = value
            case .ipVersion(let value): defaults.ipVersion = value
            case .insecure(let value): defaults.insecure = value
            case .caFile(let value): defaults.caFile = value
            case .headers(let value): defaults.headers = value
            case .followRedirects(let value): defaults.followRedirects = value
            }
        }
        return (defaults, locations)
    }

    /// `targets`: each entry, with where its settings were written; names unique.
    private func targets(_ section: ConfigEntry) throws(ConfigError) -> [(
        target: TargetConfig, locations: SettingLocations
    )] {
        let expected = "a list of targets, each with a 'url'"
        let items = try items(of: section.value, path: section.path, expected: expected)
        guard !items.isEmpty else {
            throw error("no targets: add at least one, like '- url: https://example.com/'", at: section)
        }
        var out: [(target: TargetConfig, locations: SettingLocations)] = []
        var firstUse: [String: (path: String, line: Int?)] = [:]
        for item in items {
            let (target, locations) = try target(item)
            let nameLocation = locations["name"] ?? locations["url"] ?? item
            if let earlier = firstUse[target.name] {
                let place = earlier.path + (earlier.line.map { " on line \($0)" } ?? "")
                let message =
                    locations["name"] == nil
                    ? "target name '\(target.name)' (taken from the URL's host) is already used by \(place);"
                        + " give this target a unique 'name'"
                    : "duplicate target name '\(target.name)', already used by \(place); target names must be unique"
                throw error(message, line: nameLocation.line, key: "\(item.path).name")
            }
            firstUse[target.name] = (item.path, nameLocation.line)
            out.append((target, locations))
        }
        return out
    }

    /// One entry of `targets`.
    private func target(_ item: ConfigEntry) throws(ConfigError) -> (TargetConfig, SettingLocations) {
        let expected = "a mapping with at least 'url', like '- url: https://example.com/'"
        guard case .mapping = item.value else {
            throw error("expected \(expected), got \(Self.describe(item.value))", at: item)
        }
        var locations = SettingLocations()
        var name: String?
        var url: CurlURL?
        var resolve: [String] = []
        var pathNames: [String]?
        var interval: Duration?
        var settings: [ProbeSetting] = []
        for entry in try entries(of: item.value, path: item.path, keys: Self.targetKeys, expected: expected) {
            locations[entry.name] = entry
            switch entry.name {
            case "name": name = try string(entry)
            case "url": url = try self.url(entry)
            case "resolve": resolve = try resolveEntries(entry)
            case "paths": pathNames = try pathNameList(entry)
            case "interval": interval = try duration(entry, in: ConfigLimits.interval)
            default: settings.append(try probeSetting(entry))
            }
        }
        guard let url else {
            throw error("missing 'url': every target needs the URL to probe", line: item.line, key: item.path)
        }
        var target = TargetConfig(name: name ?? url.host, url: url, line: item.line ?? 0)
        target.resolve = resolve
        target.paths = pathNames
        target.interval = interval
        for setting in settings {
            switch setting {
            case .count(let value): target.count = value
            case .spacing(let value): target.spacing = value
            case .connectTimeout(let value): target.connectTimeout = value
            case .timeout(let value): target.timeout = value
            case .expect(let value): target.expect = value
            case .method(let value): target.method = value
            case .maxBytes(let value): target.maxBytes = value
            case .ipVersion(let value): target.ipVersion = value
            case .insecure(let value): target.insecure = value
            case .caFile(let value): target.caFile = value
            case .headers(let value): target.headers = value
            case .followRedirects(let value): target.followRedirects = value
            }
        }
        return (target, locations)
    }

    /// `url`: what libcurl will parse, http or https only.
    private func url(_ entry: ConfigEntry) throws(ConfigError) -> CurlURL {
        let text = try scalar(entry, expected: "an http:// or https:// URL")
        do {
            return try CurlURL(text)
        } catch {
            throw self.error(error.description, at: entry)
        }
    }

    /// A target's `paths`: a list of path names.
    private func pathNameList(_ entry: ConfigEntry) throws(ConfigError) -> [String] {
        var out: [String] = []
        for item in try items(of: entry.value, path: entry.path, expected: "a list of path names") {
            out.append(try scalar(item, expected: "a path name"))
        }
        return out
    }

    /// `resolve`: a list of `HOST:PORT:ADDRESS` pins.
    private func resolveEntries(_ entry: ConfigEntry) throws(ConfigError) -> [String] {
        var out: [String] = []
        let expected = "a list of pins like 'example.com:443:192.0.2.10'"
        for item in try items(of: entry.value, path: entry.path, expected: expected) {
            _ = try value(item, expected: ConfigValues.resolveExpectation, ConfigValues.parseResolveEntry)
            out.append(try scalar(item, expected: ConfigValues.resolveExpectation))
        }
        return out
    }

    // MARK: - Settings shared by defaults and targets

    /// One probe setting, parsed.
    enum ProbeSetting {
        case count(Int)
        case spacing(Duration)
        case connectTimeout(Duration)
        case timeout(Duration)
        case expect(StatusSet)
        case method(HTTPMethod)
        case maxBytes(Int64)
        case ipVersion(TransferOptions.IPVersion)
        case insecure(Bool)
        case caFile(String)
        case headers([String])
        case followRedirects(Bool)
    }

    /// Parses the probe setting `entry` (its key is one of ``probeSettingKeys``).
    private func probeSetting(_ entry: ConfigEntry) throws(ConfigError) -> ProbeSetting {
        switch entry.name {
        case "count": return .count(try integer(entry, in: ConfigLimits.count))
        case "spacing": return .spacing(try duration(entry, in: ConfigLimits.spacing))
        case "connect_timeout": return .connectTimeout(try duration(entry, in: ConfigLimits.timeout))
        case "timeout": return .timeout(try duration(entry, in: ConfigLimits.timeout))
        case "expect": return .expect(try statuses(entry))
        case "method":
            return .method(try value(entry, expected: ConfigValues.methodExpectation, ConfigValues.parseMethod))
        case "max_bytes": return .maxBytes(try size(entry, in: ConfigLimits.maxBytes))
        case "ip_version":
            return .ipVersion(
                try value(entry, expected: ConfigValues.ipVersionExpectation, ConfigValues.parseIPVersion)
            )
        case "insecure": return .insecure(try bool(entry))
        case "cacert":
            let path = try string(entry)
            if let problem = ConfigValues.caFileProblem(path) { throw error(problem, at: entry) }
            return .caFile(path)
        case "headers": return .headers(try headers(entry))
        case "follow_redirects": return .followRedirects(try bool(entry))
        default: preconditionFailure("key '\(entry.name)' is not a probe setting")
        }
    }

    // MARK: - Warnings

    /// Findings about `defaults` alone.
    private mutating func checkDefaults(_ defaults: ProbeDefaults, locations: SettingLocations) {
        checkTimeouts(timeout: defaults.timeout, connectTimeout: defaults.connectTimeout, locations: locations)
        checkCAFile(insecure: defaults.insecure, caFile: defaults.caFile, locations: locations)
    }

    /// Findings about one target, with the defaults applied; only for what the target itself sets, so that a
    /// finding about `defaults` is reported once.
    private mutating func check(_ target: TargetConfig, locations: SettingLocations, defaults: ProbeDefaults) {
        if locations["timeout"] != nil || locations["connect_timeout"] != nil {
            checkTimeouts(
                timeout: target.timeout ?? defaults.timeout,
                connectTimeout: target.connectTimeout ?? defaults.connectTimeout, locations: locations)
        }
        if locations["insecure"] != nil || locations["cacert"] != nil {
            checkCAFile(
                insecure: target.insecure ?? defaults.insecure, caFile: target.caFile ?? defaults.caFile,
                locations: locations)
        }
        if let resolveEntry = locations["resolve"], !(target.followRedirects ?? defaults.followRedirects) {
            for (index, text) in target.resolve.enumerated() {
                guard let pin = try? ConfigValues.parseResolveEntry(text), pin.host != "*",
                    pin.host.lowercased() != target.url.host.lowercased() || pin.port != target.url.port
                else { continue }
                let item = (try? items(of: resolveEntry.value, path: resolveEntry.path, expected: ""))?[index]
                warn(
                    "pin '\(text)' is for \(pin.host):\(pin.port) but the URL is for \(target.url.host):"
                        + "\(target.url.port), so it is never used",
                    line: item?.line ?? resolveEntry.line, key: item?.path ?? resolveEntry.path)
            }
        }
    }

    /// A total limit shorter than the connect limit cuts the connect phase short.
    private mutating func checkTimeouts(timeout: Duration, connectTimeout: Duration, locations: SettingLocations) {
        guard timeout < connectTimeout, let location = locations["timeout"] ?? locations["connect_timeout"] else {
            return
        }
        let total = ConfigValues.text(timeout)
        warn(
            "timeout \(total) is shorter than connect_timeout \(ConfigValues.text(connectTimeout))"
                + "; connections are cut off after \(total)",
            line: location.line, key: location.path)
    }

    /// A CA file does nothing when verification is off.
    private mutating func checkCAFile(insecure: Bool, caFile: String?, locations: SettingLocations) {
        guard insecure, caFile != nil, let location = locations["cacert"] ?? locations["insecure"] else { return }
        warn(
            "cacert is not used because insecure is true (certificates are not verified)",
            line: location.line, key: location.path)
    }
}
