#!/usr/bin/env bash
# Installs everything langop needs to build and test, from Debian 12 packages only.
# Idempotent: a second run installs nothing new. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build ccache pkg-config git ca-certificates
  libboost1.81-all-dev libc-ares-dev libssl-dev libyaml-cpp-dev catch2 libbenchmark-dev
  openssl procps curl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# kubectl is the independent client the tests use to keep the local API server honest.
# It is preinstalled on the CI machines; on a bare Debian 12 machine we fall back to
# Debian's own kubectl (package kubernetes-client).
if ! command -v kubectl >/dev/null 2>&1; then
  missing+=(kubernetes-client)
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: all packages present"
fi
