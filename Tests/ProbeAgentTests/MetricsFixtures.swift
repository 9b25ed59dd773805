import ProbeCore

/// A sample for the metrics tests: only the fields the metrics read matter.
func metricsSample(
    target: String = "login", path: String = "isp-a", type: PathType = .peeringService, ok: Bool = true,
    status: Int? = 200,
    phases: Phases = Phases(
        dns: 1_000, connect: 2_000, tls: 3_000, request: 100, wait: 4_000,
        transfer: 900, total: 11_000),
    error: SampleError? = nil
) -> Sample {
    Sample(
        timestamp: 1_795_000_000_000_000, agent: "agent-1", site: nil, region: nil, batch: "b", seq: 1, round: 1,
        n: 0, target: target, url: "https://\(target).example.net/", method: .get,
        path: PathTags(name: path, type: type), localIP: nil, localPort: nil, remoteIP: nil, remotePort: nil,
        ipVersion: 4, httpVersion: status == nil ? nil : "1.1", status: status, ok: ok, error: error,
        phases: phases, bytes: 0, pop: nil, edgeServer: nil, edgeRef: nil)
}

/// An exposition parsed into its series: `name{labels}` (as written) to the value text, plus the comment lines.
struct Exposition {
    let values: [String: String]
    let comments: [String]
    let text: String

    init(_ bytes: [UInt8]) {
        text = String(decoding: bytes, as: UTF8.self)
        var values: [String: String] = [:]
        var comments: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") {
                comments.append(String(line))
            } else if let space = line.lastIndex(of: " ") {
                values[String(line[..<space])] = String(line[line.index(after: space)...])
            }
        }
        self.values = values
        self.comments = comments
    }

    /// The value of a series as a number, nil when it is missing.
    subscript(_ series: String) -> Double? { values[series].flatMap { Double($0) } }

    /// The series (`name{labels}`) of one metric name.
    func series(named name: String) -> [String] {
        values.keys.filter { $0 == name || $0.hasPrefix(name + "{") }.sorted()
    }
}
