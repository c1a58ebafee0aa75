#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs loom's whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 600
