#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what it needs, builds
# twice (optimized, then with AddressSanitizer + UndefinedBehaviorSanitizer) and runs
# every test in both builds. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

jobs=$(nproc)
export CCACHE_BASEDIR="$PWD"

echo "== build (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build
echo "== tests (RelWithDebInfo)"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 300

echo "== build (ASan + UBSan)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLANGOP_SANITIZE=ON -DLANGOP_BUILD_BENCH=OFF >/dev/null
ninja -C build-asan
echo "== tests (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 600

echo "== all tests passed"
