extension OutputFolder {
    /// The agent's next `seq` and round numbers as its state file `AGENT/state` keeps them; call it with the
    /// folder's lock held (``withLock(_:)``). A state file that is missing while batches exist, or that cannot
    /// be read (garbled, empty, not a regular file), is rebuilt from the batches, and `warning` says so.
    package func readCounters() -> (counters: BatchCounters, warning: String?) {
        var counters: BatchCounters?
        var problem: String?
        do throws(SpoolError) {
            if let text = try readState("state") {
                counters = BatchCounters(stateText: text)
                if counters == nil { problem = "it is not two lines 'next_seq N' and 'next_round N'" }
            }
        } catch {
            problem = error.reason
        }
        if let counters { return (counters, nil) }
        let rebuilt = BatchCounters.rebuilt(from: self)
        var warning: String?
        if problem != nil || rebuilt != nil {
            let found = rebuilt.map { "next_seq \($0.nextSeq), next_round \($0.nextRound) from its batches" }
            warning =
                "state file '\(path("state"))' \(problem.map { "is unusable (\($0))" } ?? "is missing"); "
                + "counting on from \(found ?? "1, as no batches were found")"
        }
        return (rebuilt ?? BatchCounters(), warning)
    }

    /// Replaces the state file `AGENT/state` with `counters`, atomically; call it with the folder's lock held.
    package func writeCounters(_ counters: BatchCounters) throws(SpoolError) {
        try FileIO.writeAtomically(Array(counters.stateText.utf8), to: path("state"))
    }
}
