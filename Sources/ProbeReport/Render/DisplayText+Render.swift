import ProbeCore

/// Text for people that the renderers share: nil shown as `-`, UTC times, durations, escaping for terminals
/// and Markdown, and packing text into lines of a given width.
extension DisplayText {
    // MARK: - Values for people

    /// `format(value)`, or `-` when `value` is nil.
    package static func orDash(_ value: Double?, _ format: (Double) -> String = milliseconds) -> String {
        value.map(format) ?? "-"
    }

    /// A signed difference in milliseconds with its percentage, `-12.4 ms (-21.3%)`; `-` when nil.
    package static func signedDifference(milliseconds value: Double?, percent: Double?) -> String {
        guard let value else { return "-" }
        return signedMilliseconds(value) + " ms" + (percent.map { " (" + signedPercent($0) + ")" } ?? "")
    }

    /// Percentage points with two decimals and a sign: `+0.40 pp`.
    package static func signedPercentagePoints(_ value: Double) -> String {
        let text = fixed(value, decimals: 2)
        return (value > 0 && text != "0.00" ? "+" : "") + text + " pp"
    }

    /// A UTC time to the second for people: `2026-11-28 08:00:00`.
    package static func dateTime(_ microseconds: Int64) -> String {
        let text = Timestamp.rfc3339(microseconds: microseconds)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8))
    }

    /// A duration for people, two units at most: `45 s`, `12 min 30 s`, `3 h 5 min`, `2 d 4 h`.
    package static func duration(microseconds: Int64) -> String {
        let seconds = max(0, microseconds) / 1_000_000
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3_600 { return "\(seconds / 60) min \(seconds % 60) s" }
        if seconds < 86_400 { return "\(seconds / 3_600) h \(seconds % 3_600 / 60) min" }
        return "\(seconds / 86_400) d \(seconds % 86_400 / 3_600) h"
    }

    /// The span of a report's samples: `2026-11-28 08:00:00 to 2026-11-28 20:00:00 UTC (12 h 0 min)`, or
    /// `no samples`.
    package static func span(_ input: InputSummary) -> String {
        guard let first = input.firstTimestamp, let last = input.lastTimestamp else { return "no samples" }
        return dateTime(first) + " to " + dateTime(last) + " UTC (" + duration(microseconds: last - first) + ")"
    }

    /// A minimum effect as the verdict applies it: `max(1 ms, 5%)`.
    package static func minimumEffect(_ effect: MinimumEffect) -> String {
        "max(" + MachineText.number(effect.milliseconds) + " ms, " + MachineText.number(effect.percent) + "%)"
    }

    /// Errors by kind for people, `timeout 3, dns 1`; empty when there are none.
    package static func errors(_ errors: [ErrorCount]) -> String {
        errors.map { "\($0.kind.rawValue) \($0.count)" }.joined(separator: ", ")
    }

    /// PoP shares of a path's answered samples, `AMS 95.0%, LON 5.0%` (`-` for samples without a PoP).
    package static func popShares(_ usage: PopUsage) -> String {
        usage.counts.map { count in
            let share =
                usage.answered > 0
                ? percent(fraction: Double(count.count) / Double(usage.answered), decimals: 1) : "-"
            return (count.pop ?? "-") + " " + share
        }.joined(separator: ", ")
    }

    // MARK: - Escaping

    /// `text` with control characters (C0, DEL, C1), line and paragraph separators and bidirectional
    /// overrides written as escapes (`\n`, `\r`, `\t`, `\u{1b}`), so that a name can neither break a line
    /// nor drive the terminal.
    package static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return out
    }

    /// Whether ``visible(_:)`` escapes `scalar`.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `text` as literal GitHub-flavoured Markdown inline text, safe in a table cell: ``visible(_:)``, then
    /// a backslash before every character Markdown or HTML could act on (`\ ` * _ [ ] < > | ~ & #`). With
    /// `atLineStart` (text that begins a line or a list item's content), a leading `-`, `+` or `=`, and the
    /// `.` or `)` after leading digits, are escaped too, so that the text cannot start a list or a heading.
    package static func markdown(_ text: String, atLineStart: Bool = false) -> String {
        var out = ""
        for character in visible(text) {
            if "\\`*_[]<>|~&#".contains(character) { out.append("\\") }
            out.append(character)
        }
        guard atLineStart, let first = out.first else { return out }
        if "-+=".contains(first) { return "\\" + out }
        let digits = out.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.endIndex < out.endIndex, ".)".contains(out[digits.endIndex]) {
            out.insert("\\", at: digits.endIndex)
        }
        return out
    }

    // MARK: - Lines

    /// `text` cut to at most `width` characters, the last one `…` when something was cut.
    package static func truncated(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        return String(text.prefix(width - 1)) + "…"
    }

    /// Lines of at most `width` characters (counted as `Character`s): `parts` joined by `separator`, a part
    /// that does not fit moved whole to the next line, a part longer than a line broken at spaces, and a word
    /// longer than a line broken anywhere. The first line starts with `indent`, the others with
    /// `continuation` (default: `indent`).
    package static func pack(
        _ parts: [String], separator: String = " ", width: Int, indent: String = "", continuation: String? = nil
    ) -> [String] {
        let next = continuation ?? indent
        var lines: [String] = []
        var line = indent
        var lineHasText = false
        func add(_ piece: String, joiner: String) {
            if lineHasText, line.count + joiner.count + piece.count <= width {
                line += joiner + piece
                return
            }
            if lineHasText {
                lines.append(line)
                line = next
                lineHasText = false
            }
            if line.count + piece.count <= width {
                line += piece
                lineHasText = true
                return
            }
            let words = piece.split(separator: " ")
            if words.count > 1 {
                for word in words { add(String(word), joiner: " ") }
                return
            }
            var rest = Substring(piece)
            while !rest.isEmpty {
                let room = max(1, width - line.count)
                line += rest.prefix(room)
                rest = rest.dropFirst(room)
                lineHasText = true
                if !rest.isEmpty {
                    lines.append(line)
                    line = next
                    lineHasText = false
                }
            }
        }
        for part in parts where !part.isEmpty { add(part, joiner: separator) }
        if lineHasText || lines.isEmpty { lines.append(line) }
        return lines
    }
}

// MARK: - Comparisons

/// The phrases of a comparison that the table and Markdown renderers share.
extension DisplayText {
    /// What a comparison compares: `ams1 (westeurope) · graph: PS path 'ps-a' (Colt, AS8220) vs internet
    /// 'inet-b' (KPN, AS1136)`, names passed through `escape`.
    package static func comparisonTitle(_ comparison: Comparison, escape: (String) -> String) -> String {
        func side(_ side: ComparisonSide) -> String {
            let owner = [side.isp.map(escape), side.asn.map { "AS\($0)" }].compactMap(\.self)
            return "'" + escape(side.path) + "'" + (owner.isEmpty ? "" : " (" + owner.joined(separator: ", ") + ")")
        }
        var place = comparison.site.map(escape) ?? ""
        if let region = comparison.region { place += (place.isEmpty ? "" : " ") + "(" + escape(region) + ")" }
        return (place.isEmpty ? "" : place + " · ") + escape(comparison.target) + ": PS path "
            + side(comparison.peering) + " vs internet " + side(comparison.internet)
    }

    /// The numbers behind a verdict, as separate phrases: medians, difference of medians with its interval,
    /// difference of p90s, availability, the test, and the trimmed window when samples were left out.
    package static func comparisonDetails(_ comparison: Comparison) -> [String] {
        let interval: String
        if let low = comparison.confidenceLow, let high = comparison.confidenceHigh {
            interval = "95% CI [" + signedMilliseconds(low) + ", " + signedMilliseconds(high) + "] ms"
        } else {
            interval = "95% CI -"
        }
        let peering = comparison.peering
        let internet = comparison.internet
        var details = [
            "median " + orDash(peering.p50) + " vs " + orDash(internet.p50) + " ms",
            "Δ median "
                + signedDifference(
                    milliseconds: comparison.medianDifference, percent: comparison.medianDifferencePercent
                ) + ", " + interval,
            "Δ p90 "
                + signedDifference(milliseconds: comparison.p90Difference, percent: comparison.p90DifferencePercent),
            "availability " + percent(fraction: peering.availability) + " vs "
                + percent(fraction: internet.availability) + " ("
                + signedPercentagePoints(comparison.availabilityDifference) + ")",
            comparison.paired
                ? "Wilcoxon signed-rank (paired), \(comparison.pairs) pairs"
                : "Mann-Whitney U (unpaired), \(peering.answered) vs \(internet.answered) answered",
        ]
        if comparison.trimmedSamples > 0 {
            details.append(
                "window trimmed to " + dateTime(comparison.windowStart) + " to " + dateTime(comparison.windowEnd)
                    + " UTC, "
                    + "\(comparison.trimmedSamples) samples left out"
            )
        }
        return details
    }
}
