"""The DuckDB oracle for report groups.

Reads NDJSON files with DuckDB's read_json and computes, per group, what `peering-probe report` computes:
sample, answered and ok counts, errors by kind, and for every metric over answered samples with a value:
count, quantile_cont at 0.1/0.5/0.9/0.95/0.99, min, max, mean, stddev_samp, and jitter (the mean absolute
difference of consecutive values in time within one series: agent, site, region, target, path and path tags,
and the group's per-sample keys).

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
    "error": "STRUCT(kind VARCHAR, code BIGINT, message VARCHAR)",
}
KINDS = ["dns", "connect", "tls", "timeout", "http", "send", "recv", "cancelled", "other"]
SERIES = ["agent", "site", "region", "target", "path", "path_type", "isp", "asn", "prefix"]
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
    per_kind = [f"count(*) FILTER (WHERE error.kind = '{k}')" for k in KINDS]
    select = ", ".join(keys + ["count(*)", "count(status)", "count(*) FILTER (WHERE ok)"] + per_metric + per_kind)
    group = ", ".join(keys)
    connection = duckdb.connect(config={"threads": threads} if threads else {})
    started = time.monotonic()
    rows = connection.sql(f"SELECT {select} FROM {source} GROUP BY {group}").fetchall()
    if timing:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"seconds={time.monotonic() - started:.3f} groups={len(rows)} peak_rss_mib={rss:.1f}")
        return
    # Jitter: consecutive answered values of one series (and one per-sample key), in time order.
    partition = ", ".join(SERIES + [EXPRESSIONS[d] for d in dimensions if d in ("pop", "hour", "day")])
    jitter = {}
    for m in METRICS:
        query = (f"SELECT {group}, avg(d) FROM (SELECT *, abs(v - lag(v) OVER (PARTITION BY {partition} "
                 f"ORDER BY ts)) AS d FROM (SELECT *, {m}_ms AS v FROM {source} "
                 f"WHERE status IS NOT NULL AND {m}_ms IS NOT NULL)) GROUP BY {group}")
        for row in connection.sql(query).fetchall():
            jitter.setdefault(json.dumps(list(row[:-1])), {})[m] = row[-1]
    groups = []
    for row in rows:
        key = list(row[: len(keys)])
        rest = row[len(keys):]
        entry = {"key": key, "samples": rest[0], "answered": rest[1], "ok": rest[2], "metrics": {}}
        for i, m in enumerate(METRICS):
            count, q, low, high, mean, sd = rest[3 + 6 * i: 9 + 6 * i]
            entry["metrics"][m] = {
                "count": count, "quantiles": q, "min": low, "max": high, "mean": mean, "stddev": sd,
                "jitter": jitter.get(json.dumps(key), {}).get(m),
            }
        entry["errors"] = {k: c for k, c in zip(KINDS, rest[3 + 6 * len(METRICS):]) if c}
        groups.append(entry)
    json.dump({"groups": groups}, sys.stdout)


main()
