#!/usr/bin/env bash
# Configures and builds loom in ./build (Release with debug info, Ninja, ccache)
# and makes the Python package importable by python3.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mkdir -p build
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" > build/configure.log \
  || { cat build/configure.log; exit 1; }
cmake --build build -j "$(nproc)"
bash scripts/install-python.sh  # `import loom` for python3
