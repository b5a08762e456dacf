// `npm run soak`: the 30-minute soak (test/soak), not part of CI.
'use strict';
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/test/soak/**/*.soak.ts'] };
