#!/usr/bin/env bash
# Installs the system packages the suite runs for real (Debian's Chromium, Prometheus,
# Pushgateway, kubectl with kustomize, and unzip to unpack the real Helm binaries from their
# npm packages), or stops with the exact command to run.
set -euo pipefail

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v prometheus >/dev/null || missing+=(prometheus)
command -v prometheus-pushgateway >/dev/null || missing+=(prometheus-pushgateway)
command -v kubectl >/dev/null || missing+=(kubectl)
command -v unzip >/dev/null || missing+=(unzip)
# age: the SOPS test encrypts to the recipient in .sops.yaml with the real age CLI.
command -v age >/dev/null || missing+=(age)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Missing system packages; install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  # Debian's own archive has no current kubectl (its kubernetes-client 1.20 embeds a kustomize
  # too old for `patches:`); it comes from the Kubernetes apt repository where one is set up.
  packages=()
  for p in "${missing[@]}"; do
    if [ "$p" != kubectl ] || apt-cache show kubectl >/dev/null 2>&1; then packages+=("$p"); fi
  done
  echo "Installing ${packages[*]} with apt-get ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  if ! command -v kubectl >/dev/null; then
    echo "kubectl is in no apt source here; add the Kubernetes apt repository and install it:" >&2
    echo "  mkdir -p /etc/apt/keyrings && curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.34/deb/Release.key | gpg --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg && echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.34/deb/ /' > /etc/apt/sources.list.d/kubernetes.list && apt-get update && apt-get install -y kubectl" >&2
    exit 1
  fi
fi

# `kubectl kustomize` must understand `patches:` (kustomize v4 and later, kubectl 1.21+).
kustomize=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p')
if [ -z "$kustomize" ] || [ "$kustomize" -lt 4 ]; then
  echo "kubectl $(kubectl version --client 2>/dev/null | head -1) embeds kustomize older than v4; install kubectl 1.21 or later:" >&2
  echo "  apt-get install -y kubectl   # from the Kubernetes apt repository, https://pkgs.k8s.io" >&2
  exit 1
fi
