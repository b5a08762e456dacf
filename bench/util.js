'use strict';
// Helpers the bench scripts share.
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const HOMEBRIDGE = path.join(ROOT, 'node_modules', 'homebridge', 'bin', 'homebridge.js');

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on loopback (for Homebridge's HAP and Matter servers). */
async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * The real Homebridge CLI on `storage` (its config.json written by the caller), with this plugin unless `plugin`
 * is false. `output()` is what it printed so far; `stop(killAfterMs)` sends SIGTERM, then SIGKILL, and resolves
 * with the milliseconds it took to exit.
 */
function startHomebridge(storage, { plugin = true } = {}) {
  const args = [HOMEBRIDGE, '-U', storage, ...(plugin ? ['-P', ROOT, '--strict-plugin-resolution'] : []), '-Q'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return {
    child,
    output: () => output,
    async stop(killAfterMs = 3000) {
      const stopAt = performance.now();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      clearTimeout(killer);
      return performance.now() - stopAt;
    },
  };
}

module.exports = { pause, freePort, startHomebridge };
