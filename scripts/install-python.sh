#!/usr/bin/env bash
# Makes `import loom` work for the machine's python3 (and Debian's
# /usr/bin/python3): a loom.pth in the user site-packages pointing at the
# package built in build/python. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg="$(pwd)/build/python"
[[ -f $pkg/loom/__init__.py ]] || { echo "install-python: build first (scripts/build.sh)"; exit 1; }
for py in python3 /usr/bin/python3; do
  command -v "$py" > /dev/null || continue
  site=$("$py" -c 'import site; print(site.getusersitepackages())')
  mkdir -p "$site"
  echo "$pkg" > "$site/loom.pth"
done
