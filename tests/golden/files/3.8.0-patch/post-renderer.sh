#!/bin/sh
# Helm post-renderer: helm upgrade --install ... --post-renderer ./post-renderer.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/kustomization.yaml" "$here/servicemonitor-patch.yaml" "$work/"
cat > "$work/chart.yaml"
kubectl kustomize "$work"
