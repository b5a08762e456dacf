// `npm run test:faults`: the fault matrix (test/faults), run by .ci/run after `npm test`.
'use strict';
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/test/faults/**/*.faults.ts'] };
