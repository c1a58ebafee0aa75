#!/usr/bin/env bash
# The import / export workload: generates the customer-360 data set (default
# --scale 1000: 1M records, 960k relationships), imports it into a fresh
# database with the default (durable) settings, dumps it, imports the dump
# into a second fresh database and dumps that; the two dumps must be equal.
# Each step prints its summary line (counts, seconds, items/s).
#   usage: bench/run_import_bench.sh [SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1000}
data=/tmp/loom_c360_${scale}.jsonl
work=$(mktemp -d /tmp/loom_import_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
[[ -f $data ]] || build/tools/loom gen --scale "$scale" -o "$data"
sync
build/tools/loom --db "$work/a.db" import --no-progress "$data"
build/tools/loom --db "$work/a.db" dump -o "$work/a.jsonl"
build/tools/loom --db "$work/b.db" import --no-progress "$work/a.jsonl"
build/tools/loom --db "$work/b.db" dump -o "$work/b.jsonl"
cmp "$work/a.jsonl" "$work/b.jsonl" && echo "round trip: the dumps are identical"
