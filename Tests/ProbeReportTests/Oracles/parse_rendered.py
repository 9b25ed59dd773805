"""Reads what a report renderer wrote (standard input, UTF-8) with Python's own parsers, strictly.

    parse_rendered.py csv
        csv.reader (strict) over the text; prints the records as a JSON array of arrays of strings.
    parse_rendered.py json [PATH=PLACEHOLDER ...]
        json.loads, rejecting NaN/Infinity and duplicate keys; prints {"keys": [...], "leaves": {...}}:
        "keys" every key path in the document (`a.b`, `a[].b`), the keys of the objects at the given PATHs
        replaced by PLACEHOLDER (their names are data); "leaves" every scalar, empty array and empty object
        by exact path (`a[0].b`) as [type, text], type one of string, int, float, bool, null, array, object.

Output is ASCII JSON, so that the Swift test reads it back without any doubt about encodings.
"""

import csv
import io
import json
import sys


def reject_constant(name):
    raise ValueError(f"non-finite number {name} in JSON")


def unique_pairs(pairs):
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate keys {duplicates}")
    return dict(pairs)


def key_paths(value, path, dynamic, out):
    if isinstance(value, dict):
        for key, child in value.items():
            name = dynamic.get(path, key)
            child_path = f"{path}.{name}" if path else name
            out.add(child_path)
            key_paths(child, child_path, dynamic, out)
    elif isinstance(value, list):
        for item in value:
            key_paths(item, path + "[]", dynamic, out)


def leaves(value, path, out):
    if isinstance(value, dict):
        if not value:
            out[path] = ["object", "{}"]
        for key, child in value.items():
            leaves(child, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list):
        if not value:
            out[path] = ["array", "[]"]
        for index, item in enumerate(value):
            leaves(item, f"{path}[{index}]", out)
    elif isinstance(value, bool):
        out[path] = ["bool", "true" if value else "false"]
    elif isinstance(value, int):
        out[path] = ["int", str(value)]
    elif isinstance(value, float):
        out[path] = ["float", repr(value)]
    elif value is None:
        out[path] = ["null", ""]
    else:
        out[path] = ["string", value]


def main():
    mode = sys.argv[1]
    text = sys.stdin.buffer.read().decode("utf-8")
    if mode == "csv":
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        json.dump(rows, sys.stdout, ensure_ascii=True)
    elif mode == "json":
        dynamic = dict(argument.split("=", 1) for argument in sys.argv[2:])
        document = json.loads(text, parse_constant=reject_constant, object_pairs_hook=unique_pairs)
        paths = set()
        key_paths(document, "", dynamic, paths)
        found = {}
        leaves(document, "", found)
        json.dump({"keys": sorted(paths), "leaves": found}, sys.stdout, ensure_ascii=True)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
