/// The page's inline CSS. It holds no `<`, `&` or `>` (no child selectors), so it reads the same as HTML
/// and as XML, and names system fonts only: the page loads nothing.
enum HTMLStyleSheet {
    /// The style sheet.
    static let css = """
        :root { --good: #1a7f37; --good-bg: #e6f4ea; --bad: #b3261e; --bad-bg: #fce8e6; --neutral: #555;
          --neutral-bg: #f1f3f4; --line: #d0d7de; --muted: #5f6b76; }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, "Segoe UI", Roboto, "DejaVu Sans",
          "Liberation Sans", Arial, sans-serif; color: #1f2328; background: #fff; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
        h3 { font-size: 15px; margin: 22px 0 8px; }
        h4 { font-size: 13px; margin: 10px 0 4px; }
        code, .excerpt, .time, .pop { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas,
          monospace; font-size: 12.5px; }
        .lede { color: var(--muted); margin: 0 0 14px; max-width: 900px; }
        .muted { color: var(--muted); }
        .small { font-size: 12px; color: var(--muted); margin-top: 1px; }
        .warn { color: #9a6700; }
        .small.warn { color: #9a6700; }
        .nowrap { white-space: nowrap; }
        .note { font-size: 12px; color: var(--muted); max-width: 1000px; }
        .empty-note { padding: 12px 16px; background: var(--neutral-bg); border-radius: 6px; color: #333; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; }
        dl.facts dt { font-weight: 600; color: #333; }
        dl.facts dd { margin: 0; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 13px; }
        caption { text-align: left; font-weight: 600; padding: 10px 0 4px; }
        th { text-align: left; font-weight: 600; background: #f6f8fa; border-bottom: 2px solid var(--line);
          padding: 6px 8px; white-space: nowrap; }
        td { padding: 6px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
        th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.bad-lines td { font-size: 12px; }
        .excerpt { white-space: pre-wrap; word-break: break-all; }
        .tally { margin: 6px 0 10px; }
        .chip { display: inline-block; padding: 1px 10px; border-radius: 10px; font-size: 12.5px; font-weight: 600;
          margin-right: 4px; }
        .chip.good, td.verdict.good, ul.brief li.good { color: var(--good); background: var(--good-bg); }
        .chip.bad, td.verdict.bad, ul.brief li.bad { color: var(--bad); background: var(--bad-bg); }
        .chip.neutral, td.verdict.neutral, ul.brief li.neutral { color: var(--neutral); background: var(--neutral-bg); }
        table.verdicts { width: 100%; }
        tr.verdict-row td:first-child { border-left: 5px solid var(--neutral-bg); }
        tr.verdict-row.good td:first-child { border-left-color: var(--good); }
        tr.verdict-row.bad td:first-child { border-left-color: var(--bad); }
        td.verdict { font-weight: 600; min-width: 150px; }
        .delta { font-weight: 600; white-space: nowrap; }
        .p { white-space: nowrap; }
        .target, .target-name, .path-name { font-weight: 600; overflow-wrap: anywhere; }
        a.target { color: #0550ae; text-decoration: none; }
        td.side { min-width: 170px; }
        svg.swatch { vertical-align: middle; margin-right: 5px; }
        section.target { margin-top: 8px; }
        section.target h2 { margin-top: 40px; }
        ul.brief { list-style: none; padding: 0; margin: 0 0 10px; }
        ul.brief li { display: inline-block; padding: 3px 10px; border-radius: 6px; margin: 0 6px 4px 0;
          font-size: 13px; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px 24px; }
        figure.chart-figure { margin: 0; flex: 1 1 520px; max-width: 600px; }
        figcaption { font-weight: 600; font-size: 14px; margin-bottom: 4px; }
        svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
        svg.chart .grid line { stroke: #e5e8eb; stroke-width: 1; }
        svg.chart .axis { stroke: #57606a; stroke-width: 1; fill: none; }
        svg.chart text { font-size: 12px; fill: #3d444d; }
        svg.chart .tick-x, svg.chart .axis-title { text-anchor: middle; }
        svg.chart .tick-y { text-anchor: end; }
        svg.chart .sub { fill: var(--muted); font-size: 11px; }
        svg.chart .axis-title { font-size: 12.5px; fill: #1f2328; }
        svg.chart .empty { text-anchor: middle; fill: var(--muted); font-size: 14px; }
        svg.chart .line { fill: none; stroke-width: 2.2; stroke-linejoin: round; stroke-linecap: round; }
        ul.legend { list-style: none; padding: 0; margin: 4px 0 0 58px; font-size: 13px; }
        ul.legend li { display: inline-block; margin-right: 16px; white-space: nowrap; }
        .legend-name { font-weight: 600; }
        table.popmix { width: 100%; max-width: 1150px; }
        th.bar-column, td.bar-column { width: 70%; }
        .stack { display: flex; height: 22px; border-radius: 4px; overflow: hidden; background: #f6f8fa; }
        .segment { display: block; height: 22px; line-height: 22px; font-size: 11.5px; font-weight: 600;
          text-align: center; overflow: hidden; white-space: nowrap; text-overflow: clip; }
        .pop-counts { font-size: 12px; color: #3d444d; margin-top: 3px; }
        .dot { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 4px;
          vertical-align: baseline; }
        .changes { display: flex; flex-wrap: wrap; gap: 4px 40px; }
        .change-list ul { list-style: none; padding: 0; margin: 0; columns: 2; column-gap: 28px; font-size: 12.5px; }
        .change-list li { white-space: nowrap; }
        .change-list .time { color: var(--muted); }
        table.stats { font-size: 12.5px; }
        table.stats th, table.stats td { padding: 5px 7px; }
        table.stats td.key, td.errors { white-space: nowrap; }
        td.path-cell { white-space: nowrap; }
        td.target-cell { max-width: 260px; }
        td.target-cell .site { font-weight: 600; color: #3d444d; }
        footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
        """
}
