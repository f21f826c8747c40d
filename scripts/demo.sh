#!/usr/bin/env bash
# The main job on its embedded default: builds langop, starts the local Kubernetes API
# server (with workload simulation), installs the CRDs, starts langop-operator against
# it, applies the demo samples and shows the result with kubectl. Agent code synthesis
# uses langop-fake-llm, the demo's embedded default model (deterministic answers, no
# account needed); set SYNTHESIS_MODEL/SYNTHESIS_PROVIDER/SYNTHESIS_ENDPOINT and
# SYNTHESIS_API_KEY to use a real provider instead.
#   scripts/demo.sh          run, show, stop everything
#   scripts/demo.sh --keep   leave the server and the operator running
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false
[ "${1:-}" = "--keep" ] && keep=true

./scripts/install-deps.sh
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build langop-localapi langop-operator langop-fake-llm

state=.demo
mkdir -p "$state"
rm -f "$state/kubeconfig"
./build/langop-localapi --port 0 --simulate-workloads --kubeconfig-out "$state/kubeconfig" \
  --log-format text >"$state/localapi.log" 2>&1 &
api_pid=$!
op_pid=""
llm_pid=""
cleanup() {
  [ -n "$op_pid" ] && { kill "$op_pid" 2>/dev/null || true; wait "$op_pid" 2>/dev/null || true; }
  [ -n "$llm_pid" ] && { kill "$llm_pid" 2>/dev/null || true; wait "$llm_pid" 2>/dev/null || true; }
  kill "$api_pid" 2>/dev/null || true
  wait "$api_pid" 2>/dev/null || true
}
if ! $keep; then trap cleanup EXIT; fi

for _ in $(seq 1 100); do [ -s "$state/kubeconfig" ] && break; sleep 0.1; done
[ -s "$state/kubeconfig" ] || { echo "langop-localapi did not start; see $state/localapi.log"; exit 1; }
export KUBECONFIG="$PWD/$state/kubeconfig"

show() { echo; echo "\$ $*"; "$@"; }
# Waits until every listed object reports status.phase = $1 (kubectl wait --for=jsonpath
# needs kubectl >= 1.23; Debian 12's own kubectl is 1.20).
wait_phase() {
  local want=$1; shift
  echo; echo "\$ # wait for phase $want: $*"
  for _ in $(seq 1 240); do
    local phases
    phases=$(kubectl get "$@" -o jsonpath='{range .items[*]}{.status.phase}{" "}{end}{.status.phase}' 2>/dev/null || true)
    if [ -n "${phases// /}" ] && [ -z "$(echo "$phases" | tr ' ' '\n' | grep -v "^$want\$" | grep -v '^$')" ]; then
      echo "all $want"; return 0
    fi
    sleep 0.5
  done
  echo "timed out waiting for phase $want: $phases"; return 1
}
show kubectl version
show kubectl get namespaces
show kubectl apply -f crds/
show kubectl wait --for=condition=established crd --all --timeout=30s
show kubectl api-resources --api-group=langop.io

# The synthesis model: a real provider when SYNTHESIS_MODEL is set, else the embedded
# default, langop-fake-llm (its first stdout line is its base URL).
if [ -z "${SYNTHESIS_MODEL:-}" ]; then
  rm -f "$state/fake-llm.url"
  ./build/tests/langop-fake-llm --port 0 >"$state/fake-llm.url" 2>"$state/fake-llm.log" &
  llm_pid=$!
  for _ in $(seq 1 100); do [ -s "$state/fake-llm.url" ] && break; sleep 0.1; done
  [ -s "$state/fake-llm.url" ] || { echo "langop-fake-llm did not start; see $state/fake-llm.log"; exit 1; }
  export SYNTHESIS_MODEL=fake-model SYNTHESIS_PROVIDER=openai-compatible
  SYNTHESIS_ENDPOINT=$(head -n1 "$state/fake-llm.url")
  export SYNTHESIS_ENDPOINT
fi

# The operator, on the same kubeconfig. Egress DNS names of the samples are looked up
# for real; without internet they stay unresolved (condition EgressResolved=False).
# MCP discovery is off: the simulated tool pods have no MCP server behind them (with it on,
# service tools stay Running and report ToolsDiscovered=False).
./build/langop-operator --kubeconfig "$KUBECONFIG" --metrics-bind-address 127.0.0.1:0 \
  --health-probe-bind-address 127.0.0.1:0 --log-format text --mcp-discovery-url-template "" \
  >"$state/operator.log" 2>&1 &
op_pid=$!

show kubectl apply -f samples/demo/00-cluster.yaml
wait_phase Ready lcluster/demo
show kubectl apply -k samples/demo/
wait_phase Running -n demo lagent
show kubectl get langop -A
show kubectl get deployments,cronjobs,services,configmaps,pvc,networkpolicies,ingresses -n demo
show kubectl describe lagent researcher -n demo
# The code synthesized from the researcher's instructions, and how it was made.
for _ in $(seq 1 60); do kubectl get configmap researcher-code -n demo >/dev/null 2>&1 && break; sleep 0.5; done
show kubectl get configmap researcher-code -n demo -o jsonpath='{.data.agent\.rb}'
show kubectl get lagent researcher -n demo -o jsonpath='{.status.synthesis}'

if $keep; then
  echo
  echo "langop-localapi (pid $api_pid) and langop-operator (pid $op_pid) are running. Try:"
  echo "  export KUBECONFIG=$KUBECONFIG"
  echo "  kubectl get langop -A"
  echo "Logs: $state/localapi.log $state/operator.log $state/fake-llm.log"
  echo "Stop them with: kill $op_pid $api_pid $llm_pid"
fi
