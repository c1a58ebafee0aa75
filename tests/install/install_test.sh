#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then builds and runs a tiny
# consumer twice: with find_package(loom CONFIG) and with pkg-config.
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/include/loom/database.h"
! grep -rq "rocksdb/" "$work/prefix/include/loom"  # no RocksDB in the public headers

cmake -S "$source_dir/tests/install/consumer" -B "$work/cmake-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/cmake-build" > "$work/build.log"
"$work/cmake-build/consumer" "$work/db1" | grep -q '"name":"Acme Corp"'

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig"
g++ -std=c++20 "$source_dir/tests/install/consumer/main.cc" -o "$work/pc-consumer" $(pkg-config --cflags --libs loom)
"$work/pc-consumer" "$work/db2" | grep -q '"name":"Acme Corp"'
echo "install test passed"
