#!/usr/bin/env bash
# Static checks of the contracts: buf build, buf lint, and buf breaking against the previous commit.
# Usage: eng/lint-protos.sh            (PROTOS_AGAINST=<git ref> to compare with another commit, e.g. origin/main)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo/eng/tools"
cd "$repo"

# Install the pinned tools only when missing or not the locked version (npm ci wipes node_modules: slow).
locked="$(node -p "require('$tools/package-lock.json').packages['node_modules/@bufbuild/buf'].version")"
installed="$(node -p "try { require('$tools/node_modules/@bufbuild/buf/package.json').version } catch { '' }")"
if [[ "$installed" != "$locked" ]]; then
  npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error >/dev/null
fi
buf="$tools/node_modules/.bin/buf"

echo "buf $("$buf" --version): build and lint protos/"
"$buf" build protos
"$buf" lint protos

against="${PROTOS_AGAINST:-HEAD~1}"
if git rev-parse --quiet --verify "$against^{commit}" >/dev/null && git cat-file -e "$against:protos" 2>/dev/null; then
  echo "buf breaking against $against"
  "$buf" breaking protos --against ".git#ref=$(git rev-parse "$against"),subdir=protos"
else
  echo "buf breaking skipped: $against does not exist or has no protos/ (first contracts commit or shallow clone)"
fi
echo "protos OK"
