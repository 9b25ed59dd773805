/// How the agent writes its log lines on standard error (`run --log-format`).
///
/// Both formats write one line per event: the time (ISO 8601, UTC, milliseconds), the level, the message and
/// the event's metadata. ``AgentLogHandler`` renders them.
package enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// `2026-12-01T02:57:58.123Z info round overran target=entra-id late_ms=120`: metadata as `key=value`,
    /// sorted by key; a value with spaces, quotes, `=` or control characters is quoted and escaped.
    case text
    /// One JSON object per line with `ts`, `level`, `message` and every metadata field as a flat key (nested
    /// metadata joined with dots), for journald exports, Loki, jq and the like.
    case json
}
