'use strict';
// Helpers the bench scripts share.
const net = require('node:net');

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on loopback (for Homebridge's HAP and Matter servers). */
async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

module.exports = { pause, freePort };
