#!/usr/bin/env node
// `npm start`: runs Homebridge with this plugin in demo mode (simulated vendor services, no account needed).
// Storage lives in .demo-storage/ (git-ignored) so pairings survive restarts; delete it to start over.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// DEMO_STORAGE, DEMO_PORT and DEMO_LOOPBACK let the end-to-end test run this very script on loopback in a temp dir.
const storage = process.env.DEMO_STORAGE || path.join(root, '.demo-storage');
fs.mkdirSync(storage, { recursive: true });
const config = JSON.parse(fs.readFileSync(path.join(root, 'demo', 'config.json'), 'utf8'));
if (process.env.DEMO_PORT) config.bridge.port = Number(process.env.DEMO_PORT);
if (process.env.DEMO_LOOPBACK) Object.assign(config.bridge, { bind: ['lo'], advertiser: 'ciao' });
fs.writeFileSync(path.join(storage, 'config.json'), JSON.stringify(config, null, 2));

console.log(
  `Building Hub demo: pair "${config.bridge.name}" in Apple Home with the code ${config.bridge.pin} (port ${config.bridge.port}).`,
);
// The dev dependency's Homebridge (1.11: `bin/homebridge`; 2.x names it `bin/homebridge.js`).
const hbDir = path.dirname(require.resolve('homebridge/package.json', { paths: [root] }));
const cli = path.join(hbDir, require(path.join(hbDir, 'package.json')).bin.homebridge);
// Debug lines only when asked (`npm run start:debug`): a demo's log should read like a real bridge's.
const debug = process.argv.includes('--debug') ? ['-D'] : [];
const child = spawn(process.execPath, [cli, '-U', storage, '-P', root, '--strict-plugin-resolution', '-Q', ...debug], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
