"""The DuckDB oracle for report groups.

Reads NDJSON files with DuckDB's read_json and computes, per group, what `peering-probe report` computes:
sample, answered and ok counts, and for every metric over answered samples with a value: count,
quantile_cont at 0.1/0.5/0.9/0.95/0.99, min, max, mean and stddev_samp.

Usage: duckdb_groups.py [--threads N] [--time] DIMENSIONS FILE...   (DIMENSIONS: as `report --by`)
Prints one JSON object: {"groups": [{"key": [...], "samples": .., "metrics": {"total": {...}}}]}.
With --time (Scripts/bench), prints `seconds=S groups=G peak_rss_mib=M` instead: the query's wall time.
"""
import json
import resource
import sys
import time

import duckdb

METRICS = ["total", "ttfb", "dns", "connect", "tls", "request", "wait", "transfer"]
EXPRESSIONS = {
    "target": "target", "path_type": "path_type", "path": "path", "isp": "isp",
    "asn": "CAST(asn AS VARCHAR)", "prefix": "prefix", "site": "site", "region": "region", "pop": "pop",
    "agent": "agent", "hour": "substr(ts, 1, 13)", "day": "substr(ts, 1, 10)",
}
COLUMNS = {
    "ts": "VARCHAR", "agent": "VARCHAR", "site": "VARCHAR", "region": "VARCHAR", "target": "VARCHAR",
    "path": "VARCHAR", "path_type": "VARCHAR", "isp": "VARCHAR", "asn": "BIGINT", "prefix": "VARCHAR",
    "status": "INTEGER", "ok": "BOOLEAN", "pop": "VARCHAR",
}
COLUMNS.update({m + "_ms": "DOUBLE" for m in METRICS})


def main():
    arguments = sys.argv[1:]
    threads = None
    timing = False
    while arguments and arguments[0].startswith("--"):
        option = arguments.pop(0)
        if option == "--threads":
            threads = int(arguments.pop(0))
        elif option == "--time":
            timing = True
    dimensions = arguments[0].split(",")
    files = arguments[1:]
    keys = [EXPRESSIONS[d] for d in dimensions]
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS.items()) + "}"
    source = f"read_json({files!r}, format='newline_delimited', columns={columns})"
    per_metric = []
    for m in METRICS:
        v = f"CASE WHEN status IS NOT NULL THEN {m}_ms END"
        per_metric += [
            f"count({v})", f"quantile_cont({v}, [0.1, 0.5, 0.9, 0.95, 0.99])",
            f"min({v})", f"max({v})", f"avg({v})", f"stddev_samp({v})",
        ]
    select = ", ".join(keys + ["count(*)", "count(status)", "count(*) FILTER (WHERE ok)"] + per_metric)
    group = ", ".join(keys)
    connection = duckdb.connect(config={"threads": threads} if threads else {})
    started = time.monotonic()
    rows = connection.sql(f"SELECT {select} FROM {source} GROUP BY {group}").fetchall()
    if timing:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"seconds={time.monotonic() - started:.3f} groups={len(rows)} peak_rss_mib={rss:.1f}")
        return
    groups = []
    for row in rows:
        key = list(row[: len(keys)])
        rest = row[len(keys):]
        entry = {"key": key, "samples": rest[0], "answered": rest[1], "ok": rest[2], "metrics": {}}
        for i, m in enumerate(METRICS):
            count, q, low, high, mean, sd = rest[3 + 6 * i: 9 + 6 * i]
            entry["metrics"][m] = {
                "count": count, "quantiles": q, "min": low, "max": high, "mean": mean, "stddev": sd,
            }
        groups.append(entry)
    json.dump({"groups": groups}, sys.stdout)


main()
