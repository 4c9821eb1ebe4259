#!/bin/sh
# Helm post-renderer adding basicAuth to ServiceMonitor monitoring/pushgateway-prometheus-pushgateway:
#   Helm 4: helm plugin install ./post-renderer, then helm upgrade --install ... --post-renderer pushgateway-auth-monitoring-pushgateway-prometheus-pushgateway
#   Helm 3: helm upgrade --install ... --post-renderer ./post-renderer/post-renderer.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/kustomization.yaml" "$here/servicemonitor-patch.yaml" "$work/"
cat > "$work/chart.yaml"
kubectl kustomize "$work" > "$work/out.yaml"
if ! grep -q 'name: pushgateway-prometheus-pushgateway-scrape-auth$' "$work/out.yaml"; then
  echo "post-renderer.sh: found no ServiceMonitor monitoring/pushgateway-prometheus-pushgateway to patch; serviceMonitor.enabled, the release name and name overrides must match this bundle" >&2
  exit 1
fi
cat "$work/out.yaml"
