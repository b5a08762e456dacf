// `npm run test:scale`: 400 devices through a real Homebridge (test/e2e/*.scale.ts), run by .ci/run after `npm test`.
'use strict';
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/test/e2e/**/*.scale.ts'] };
