'use strict';
// Plain JavaScript so that the bench (node, no TypeScript) and the tests (ts-jest, through ports.d.ts) share it.
const dgram = require('node:dgram');
const net = require('node:net');

const handedOut = new Set();

/** In use (or not ours to take); an address family the machine lacks (no IPv6) cannot hold the port either. */
const taken = (err) => err.code === 'EADDRINUSE' || err.code === 'EACCES';

function tcpFree(port, host) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (err) => resolve(!taken(err)));
    srv.listen({ port, host, ipv6Only: false }, () => srv.close(() => resolve(true)));
  });
}

function udpFree(port, type) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket({ type, ipv6Only: false });
    sock.once('error', (err) => {
      sock.close();
      resolve(!taken(err));
    });
    sock.bind(port, type === 'udp6' ? '::' : '0.0.0.0', () => sock.close(() => resolve(true)));
  });
}

/**
 * A port free for TCP and UDP on every address, below the kernel's ephemeral range (32768-60999 here): Matter binds
 * UDP on "::", and a port the kernel hands to some other process's client socket between this check and the bind
 * would make the start fail ("Cannot bind {::}:N because port is already in use"). Never the same port twice per
 * process.
 */
async function freePort() {
  for (let tries = 0; tries < 500; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    const free =
      (await tcpFree(port, '127.0.0.1')) && (await tcpFree(port, '::')) && (await udpFree(port, 'udp6')) && (await udpFree(port, 'udp4'));
    if (free) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no port free for both TCP and UDP below 32000');
}

module.exports = { freePort };
