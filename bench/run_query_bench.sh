#!/usr/bin/env bash
# Generates and imports the customer-360 graph (default --scale 1000: about 1M
# records and 1M relationships) once, then runs the query benchmarks on it.
#   usage: bench/run_query_bench.sh [SCALE] [extra benchmark flags]
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1000}
shift || true
db=/tmp/loom_c360_bench_${scale}.db
if [[ ! -d $db ]]; then
  build/tools/loom gen --scale "$scale" -o "/tmp/loom_c360_${scale}.jsonl"
  time build/tools/loom --db "$db" import --no-progress "/tmp/loom_c360_${scale}.jsonl"
fi
LOOM_BENCH_DB=$db build/bench/query_bench "$@"
