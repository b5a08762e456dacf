// `npm run test:ui`: the settings page in headless Chromium against a real homebridge-config-ui-x (test/ui/*.ui.ts),
// run by .ci/run after scripts/install-ui-test.sh.
'use strict';
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/test/ui/**/*.ui.ts'], testTimeout: 180000, maxWorkers: 1 };
