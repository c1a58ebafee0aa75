#!/usr/bin/env bash
# Sets everything up and runs loom's main job on its embedded default: build,
# generate a small customer-360 data set, import it under build/demo and answer
# the tutorial's questions (steps 1-5, spec/query.md §17 corrections applied).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec bash scripts/tutorial.sh build/tools/loom build/demo
