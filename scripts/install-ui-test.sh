#!/usr/bin/env bash
# What the browser test of the settings page needs (test/ui/settings.ui.ts), installed off to the side in .cache/
# (git-ignored): node 22 (homebridge-config-ui-x 5.28 requires it), homebridge-config-ui-x itself, and Debian's
# chromium when it is missing. playwright-core is a dev dependency; it never downloads a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d .cache/node22/node_modules ] || npm install --no-audit --no-fund --silent --prefix .cache/node22 node@22 >/dev/null
if [ ! -d .cache/config-ui-x/node_modules/homebridge-config-ui-x ]; then
  mkdir -p .cache/config-ui-x
  # 5.28.0 pins @homebridge/hap-client 5.2.0, which the registry here does not have; the settings pages do not use it.
  cat > .cache/config-ui-x/package.json <<'JSON'
{
  "name": "building-hub-ui-test",
  "private": true,
  "dependencies": { "homebridge-config-ui-x": "5.28.0" },
  "overrides": { "@homebridge/hap-client": "4.0.3" }
}
JSON
  (cd .cache/config-ui-x && npm install --no-audit --no-fund --silent >/dev/null)
fi
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get install -y -qq chromium >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null; }
fi
