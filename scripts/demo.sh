#!/usr/bin/env bash
# The main job on its embedded default: builds langop, starts the local Kubernetes API
# server (with workload simulation), installs the CRDs and shows it all with kubectl.
#   scripts/demo.sh          run, show, stop everything
#   scripts/demo.sh --keep   leave the server running; prints how to use it
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false
[ "${1:-}" = "--keep" ] && keep=true

./scripts/install-deps.sh
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build langop-localapi

state=.demo
mkdir -p "$state"
rm -f "$state/kubeconfig"
./build/langop-localapi --port 0 --simulate-workloads --kubeconfig-out "$state/kubeconfig" \
  --log-format text >"$state/localapi.log" 2>&1 &
api_pid=$!
cleanup() { kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; }
if ! $keep; then trap cleanup EXIT; fi

for _ in $(seq 1 100); do [ -s "$state/kubeconfig" ] && break; sleep 0.1; done
[ -s "$state/kubeconfig" ] || { echo "langop-localapi did not start; see $state/localapi.log"; exit 1; }
export KUBECONFIG="$PWD/$state/kubeconfig"

show() { echo; echo "\$ $*"; "$@"; }
show kubectl version
show kubectl get namespaces
if compgen -G "crds/*.yaml" >/dev/null; then
  show kubectl apply -f crds/
  show kubectl wait --for=condition=established crd --all --timeout=30s
  show kubectl api-resources --api-group=langop.io
fi

if $keep; then
  echo
  echo "langop-localapi is running (pid $api_pid). Try:"
  echo "  export KUBECONFIG=$KUBECONFIG"
  echo "  kubectl get all -A"
  echo "Stop it with: kill $api_pid"
fi
