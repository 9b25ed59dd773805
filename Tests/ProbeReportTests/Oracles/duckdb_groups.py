"""The DuckDB oracle for report groups.

Reads NDJSON files with DuckDB's read_json and computes, per group, what `peering-probe report` computes:
sample, answered and ok counts, and for every metric over answered samples with a value: count,
quantile_cont at 0.1/0.5/0.9/0.95/0.99, min, max, mean and stddev_samp.

Usage: duckdb_groups.py DIMENSIONS FILE...   (DIMENSIONS: comma-separated, as `report --by`)
Prints one JSON object: {"groups": [{"key": [...], "samples": .., "metrics": {"total": {...}}}]}.
"""
import json
import sys

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
    dimensions = sys.argv[1].split(",")
    files = sys.argv[2:]
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
    rows = duckdb.sql(f"SELECT {select} FROM {source} GROUP BY {group}").fetchall()
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
