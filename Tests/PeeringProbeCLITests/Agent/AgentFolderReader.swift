import Foundation
import Testing

/// Reads what `peering-probe run` wrote into an output folder: the finished batches' lines, the temporary
/// (open or left-over) batches, and the state file.
struct AgentFolderReader {
    /// One line of a batch, with the fields the agent tests check.
    struct Line {
        var seq: Int
        var round: Int
        var n: Int
        var target: String
        var batch: String
        var ok: Bool
        var errorKind: String?
        var total: Double?
        var ts: String
        var file: String
    }

    let agentFolder: String

    init(out: String, agent: String) {
        agentFolder = out + "/" + agent
    }

    /// The day folders' file names, finished and temporary.
    func files() -> (finished: [String], temporary: [String]) {
        var finished: [String] = []
        var temporary: [String] = []
        let days = (try? FileManager.default.contentsOfDirectory(atPath: agentFolder)) ?? []
        for day in days where day.first?.isNumber == true {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: agentFolder + "/" + day)) ?? []
            for name in names {
                let path = agentFolder + "/" + day + "/" + name
                if name.hasPrefix(".") {
                    temporary.append(path)
                } else if name.hasSuffix(".ndjson") {
                    finished.append(path)
                }
            }
        }
        return (finished.sorted(), temporary.sorted())
    }

    /// Every line of the finished batches, in `seq` order; throws on a line that is not a whole JSON object.
    func finishedLines() throws -> [Line] {
        try files().finished.flatMap { try Self.lines(of: $0) }.sorted { $0.seq < $1.seq }
    }

    /// The lines of one batch file; throws on a torn or malformed line.
    static func lines(of path: String) throws -> [Line] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard text.isEmpty || text.hasSuffix("\n") else { throw LineError("\(path) ends in a torn line") }
        return try text.split(separator: "\n").map { raw in
            guard let object = try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any],
                let seq = object["seq"] as? Int, let round = object["round"] as? Int, let n = object["n"] as? Int,
                let target = object["target"] as? String, let batch = object["batch"] as? String,
                let ok = object["ok"] as? Bool, let ts = object["ts"] as? String
            else { throw LineError("\(path): not a sample: \(raw)") }
            let error = object["error"] as? [String: Any]
            return Line(
                seq: seq, round: round, n: n, target: target, batch: batch, ok: ok,
                errorKind: error?["kind"] as? String,
                total: object["total_ms"] as? Double, ts: ts, file: path)
        }
    }

    /// The state file's `next_seq`.
    func nextSeq() throws -> Int {
        let state = try String(contentsOfFile: agentFolder + "/state", encoding: .utf8)
        let line = try #require(state.split(separator: "\n").first { $0.hasPrefix("next_seq ") })
        return try #require(Int(line.dropFirst("next_seq ".count)))
    }

    struct LineError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Checks that `lines` hold whole rounds: per (round), exactly `perRound` lines, each `n` from 0 to count - 1
/// once per path; returns the rounds per target.
func roundsPerTarget(_ lines: [AgentFolderReader.Line], perRound: Int) -> [String: Int] {
    var byRound: [Int: [AgentFolderReader.Line]] = [:]
    for line in lines { byRound[line.round, default: []].append(line) }
    var rounds: [String: Int] = [:]
    for (round, members) in byRound {
        #expect(members.count == perRound, "round \(round) has \(members.count) lines, not \(perRound)")
        #expect(Set(members.map(\.target)).count == 1, "round \(round) mixes targets")
        #expect(Set(members.map(\.batch)).count == 1, "round \(round) is split across batches")
        rounds[members[0].target, default: 0] += 1
    }
    return rounds
}

/// Checks that `seq` runs from `first` without a gap or a repeat.
func expectConsecutive(_ lines: [AgentFolderReader.Line], from first: Int, _ comment: Comment? = nil) {
    let seqs = lines.map(\.seq)
    #expect(seqs == Array(first..<(first + seqs.count)), comment)
}

/// A log line's `key=value` field (text log format).
func logField(_ key: String, in line: Substring) -> String? {
    for part in line.split(separator: " ") where part.hasPrefix(key + "=") {
        return String(part.dropFirst(key.count + 1))
    }
    return nil
}
