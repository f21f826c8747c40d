#!/usr/bin/env bash
# Builds the benchmarks in Release (build-release/) and runs them all with small
# defaults (each run well under a minute on 2 cores). Full-size numbers: see bench/README.md.
#   scripts/bench.sh                 small defaults (OBJECTS=5000)
#   OBJECTS=20000 scripts/bench.sh   the sizes the README reports
set -euo pipefail
cd "$(dirname "$0")/.."
objects="${OBJECTS:-5000}"
concurrency="${CONCURRENCY:-64}"
build="${BUILD_DIR:-build-release}"

export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(cd .. && pwd)}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANGOP_BUILD_TESTS=OFF >/dev/null
ninja -C "$build" langop-microbench langop-bench-localapi langop-bench-runtime langop-bench-converge

echo "== machine"
echo "cores: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g')"
echo "== micro: work queue, cache decode/store, cache memory"
"$build/bench/langop-microbench" --benchmark_filter='queue|cache' --benchmark_min_time=0.2
echo "== localapi"
"$build/bench/langop-bench-localapi" --objects "$objects" --concurrency "$concurrency"
echo "== runtime"
"$build/bench/langop-bench-runtime" --objects "$objects"
echo "== converge (operator vs write floor, AGENTS=1000,5000,10000 for the README's sizes)"
"$build/bench/langop-bench-converge" --agents "${AGENTS:-500}" --concurrency "$concurrency" --steady-seconds 10
