#!/usr/bin/env python3
"""Compare curl -w phase timings with peering-probe's NDJSON samples (Scripts/bench, agreement).

    agreement.py --curl CURL.txt [--curl-per-process CURL2.txt] --probe PROBE.ndjson
                 [--mode check|info] [--title TEXT]

CURL.txt holds one line per transfer, the cumulative seconds printed by
    curl -w '%{time_namelookup} %{time_connect} %{time_appconnect} %{time_pretransfer}
             %{time_starttransfer} %{time_total} %{num_connects}\\n'
(num_connects is optional; a line whose value is not 1 reused a connection and is not used).
--curl is the reference for the verdict (Scripts/bench runs it as one curl process per chunk,
a fresh connection per transfer); --curl-per-process, one curl process per transfer, is shown
beside it for information. PROBE.ndjson holds peering-probe's samples (schema v1, ms per phase);
samples without an HTTP status are not used.

curl's cumulative times become the schema's phases (dns = namelookup, connect = connect - namelookup,
tls = appconnect - connect, request = pretransfer - appconnect, wait = starttransfer - pretransfer,
transfer = total - starttransfer, ttfb = starttransfer, total = total) and the medians are compared
per phase. In check mode every phase must agree within 5 % or 0.3 ms (whichever is looser) and a
PASS/FAIL line is printed; in info mode (verification on) the table is information and one INFO line
says whether peering-probe's TLS phase is the smaller one, as expected. Standard library only.
"""
import argparse
import json
import statistics
import sys

PHASES = ["dns", "connect", "tls", "request", "wait", "transfer", "ttfb", "total"]
TOLERANCE_PERCENT = 5.0
TOLERANCE_MS = 0.3


def curl_phases(path):
    """Reads curl -w lines; returns (list of per-phase dicts in ms, count of unusable lines)."""
    rows, bad = [], 0
    if not path:
        return rows, bad
    with open(path) as handle:
        for line in handle:
            fields = line.split()
            if not fields:
                continue
            try:
                namelookup, connect, appconnect, pretransfer, starttransfer, total = (
                    float(value) * 1000.0 for value in fields[:6])
            except ValueError:
                bad += 1
                continue
            if total <= 0 or (len(fields) > 6 and fields[6] != "1"):
                bad += 1  # failed transfer, or one that did not open a fresh connection
                continue
            handshake_end = appconnect if appconnect > 0 else connect
            rows.append({
                "dns": namelookup,
                "connect": connect - namelookup,
                "tls": appconnect - connect if appconnect > 0 else None,
                "request": pretransfer - handshake_end,
                "wait": starttransfer - pretransfer,
                "transfer": total - starttransfer,
                "ttfb": starttransfer,
                "total": total,
            })
    return rows, bad


def probe_phases(path):
    """Reads peering-probe NDJSON; keeps answered samples (with an HTTP status)."""
    rows, bad = [], 0
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                sample = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if sample.get("status") is None or sample.get("total_ms") is None:
                bad += 1
                continue
            rows.append({phase: sample.get(phase + "_ms") for phase in PHASES})
    return rows, bad


def median(rows, phase):
    values = [row[phase] for row in rows if row.get(phase) is not None]
    return statistics.median(values) if values else None


def fmt(value, width=10, digits=3):
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curl", required=True, help="reference: curl, one process per chunk")
    parser.add_argument("--curl-per-process", help="information: curl, one process per transfer")
    parser.add_argument("--probe", required=True)
    parser.add_argument("--mode", choices=["check", "info"], default="check")
    parser.add_argument("--title", default="agreement")
    args = parser.parse_args()

    curl_rows, curl_bad = curl_phases(args.curl)
    cold_rows, cold_bad = curl_phases(args.curl_per_process)
    probe_rows, probe_bad = probe_phases(args.probe)
    counts = f"curl {len(curl_rows)} transfers in one process per chunk ({curl_bad} unusable)"
    if args.curl_per_process:
        counts += f", {len(cold_rows)} in a process each ({cold_bad} unusable)"
    print(f"  {counts}; peering-probe {len(probe_rows)} answered samples ({probe_bad} unusable)")
    if not curl_rows:
        print(f"FAIL: {args.title}: curl produced no timings")
        return 0

    cold = bool(cold_rows)
    header = f"  {'phase':<9}{'curl p50':>10}" + (f"{'curl/proc':>11}" if cold else "")
    if not probe_rows:
        # Still show curl's side, so the reference numbers are visible while peering-probe is missing.
        print(header)
        for phase in PHASES:
            line = f"  {phase:<9}{fmt(median(curl_rows, phase))}"
            if cold:
                line += fmt(median(cold_rows, phase), 11)
            print(line)
        print(f"SKIP: {args.title}: no peering-probe samples to compare")
        return 0

    print(header + f"{'probe p50':>11}{'diff ms':>10}{'diff %':>9}  verdict")
    failed = []
    for phase in PHASES:
        a, b = median(curl_rows, phase), median(probe_rows, phase)
        if a is None and b is None:
            continue
        diff = None if a is None or b is None else b - a
        percent = None if diff is None or a == 0 else 100.0 * diff / a
        if args.mode == "check":
            ok = diff is not None and abs(diff) <= max(TOLERANCE_MS, TOLERANCE_PERCENT / 100.0 * abs(a))
            verdict = "PASS" if ok else "FAIL"
            if not ok:
                failed.append(phase)
        else:
            verdict = "info"
        line = f"  {phase:<9}{fmt(a)}"
        if cold:
            line += fmt(median(cold_rows, phase), 11)
        print(line + f"{fmt(b, 11)}{fmt(diff, 10)}{fmt(percent, 9, 1)}  {verdict}")
    if cold:
        print("  curl p50: one curl process per chunk, a fresh connection per transfer (the reference);"
              " curl/proc: a curl process per transfer, whose TLS phase also holds OpenSSL's"
              " first-use costs in each new process.")

    if args.mode == "check":
        target = f"medians within {TOLERANCE_PERCENT:g}% or {TOLERANCE_MS:g} ms of curl -w"
        if failed:
            print(f"FAIL: {args.title}: {target}; off: {', '.join(failed)}")
        else:
            print(f"PASS: {args.title}: {target} for every phase")
    else:
        print("  why: curl re-reads the whole CA store for every transfer (the curl tool uses no CA"
              " cache), inside its TLS phase; peering-probe caches it, so its TLS phase is the network's.")
        a, b = median(curl_rows, "tls"), median(probe_rows, "tls")
        if a is None or b is None:
            print(f"INFO: {args.title}: no TLS phase to compare")
        else:
            outcome = "smaller, as expected" if b < a else "NOT smaller than curl's (unexpected)"
            print(f"INFO: {args.title}: peering-probe tls p50 {b:.3f} ms vs curl {a:.3f} ms: {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
