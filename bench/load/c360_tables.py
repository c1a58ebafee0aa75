#!/usr/bin/env python3
"""Splits a customer-360 bundle (`loom gen` JSON lines) into CSV node tables,
one per label (key column `key:ID`, typed headers), and edge tables, one per
relationship type (`:START_ID,:END_ID`): the files graph engines load with
COPY, and `loom import --nodes/--edges` reads.

    usage: c360_tables.py BUNDLE.jsonl OUT_DIR   (prints the loom import flags)
"""
import csv
import json
import os
import re
import sys

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def type_of(value):
    items = value if isinstance(value, list) else [value]
    if not items:
        return None
    v = items[0]
    t = ("boolean" if isinstance(v, bool) else "number" if isinstance(v, (int, float))
         else "datetime" if DATETIME.match(v) else "string")
    return t + "[]" if isinstance(value, list) else t


def cell(value):
    if isinstance(value, list):
        return ";".join(cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def main(bundle, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    nodes, edges = {}, {}
    with open(bundle) as f:
        for line in f:
            entry = json.loads(line)
            if entry.get("kind") == "relationship":
                edges.setdefault(entry["type"], []).append((entry["sourceId"], entry["targetId"]))
            else:
                nodes.setdefault(entry["__label"], []).append(entry)
    flags = []
    for label, rows in nodes.items():
        columns = {}
        for r in rows:
            for k, v in r.items():
                if k not in ("kind", "__id", "__label") and k not in columns and type_of(v):
                    columns[k] = type_of(v)
        path = os.path.join(out_dir, label.lower() + ".csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["key:ID"] + [f"{k}:{t}" for k, t in columns.items()])
            for r in rows:
                w.writerow([r["__id"]] + [cell(r[k]) if k in r else "" for k in columns])
        flags += ["--nodes", f"{label}={path}"]
    for rel_type, pairs in edges.items():
        path = os.path.join(out_dir, rel_type.lower() + ".csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow([":START_ID", ":END_ID"])
            w.writerows(pairs)
        flags += ["--edges", f"{rel_type}={path}"]
    print(" ".join(flags))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
