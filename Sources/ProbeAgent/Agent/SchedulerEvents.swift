/// What the scheduler tells the rest of the agent, from the engine's thread: each finished round, and the
/// targets it schedules whenever that set changes (at start and after a reload). Keep the closures quick.
package struct SchedulerEvents: Sendable {
    /// A target's round finished.
    package var roundFinished: @Sendable (FinishedRound) -> Void
    /// The targets now scheduled, with their schedules; `removed` names those gone since the last call (their
    /// last round finished).
    package var targetsChanged: @Sendable (_ targets: [String: RoundSchedule], _ removed: [String]) -> Void

    /// Makes the events.
    package init(
        roundFinished: @escaping @Sendable (FinishedRound) -> Void,
        targetsChanged: @escaping @Sendable ([String: RoundSchedule], [String]) -> Void
    ) {
        self.roundFinished = roundFinished
        self.targetsChanged = targetsChanged
    }
}
