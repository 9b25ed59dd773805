"""Oracle for QuantileTests: DuckDB's quantile_cont over each data set.

Reads JSON on stdin: {"quantiles": [q, ...], "sets": [{"type": "UINTEGER" | "DOUBLE", "values": [...]}, ...]}
Prints JSON: [[quantile_cont(v, q) for each q, in the given order] for each set], computed by DuckDB over a
column of the given type (an integer column for the microsecond values, as the report reads them).
"""
import json
import sys

import duckdb

request = json.load(sys.stdin)
quantiles = [float(q) for q in request["quantiles"]]
connection = duckdb.connect()
results = []
for data_set in request["sets"]:
    column_type = {"UINTEGER": "UINTEGER", "DOUBLE": "DOUBLE"}[data_set["type"]]
    connection.execute(f"CREATE OR REPLACE TABLE samples (v {column_type})")
    connection.execute(
        f"INSERT INTO samples SELECT unnest($values::{column_type}[])", {"values": data_set["values"]}
    )
    row = connection.execute(
        "SELECT quantile_cont(v, $quantiles::DOUBLE[]), count(*), typeof(first(v)) FROM samples",
        {"quantiles": quantiles},
    ).fetchone()
    values, count, stored_type = row
    assert count == len(data_set["values"]), (count, len(data_set["values"]))
    assert stored_type == column_type, stored_type
    results.append([float(value) for value in values])
json.dump(results, sys.stdout)
