import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { buildConnector } from 'undici';
import { ConfigError, TransientError } from './errors';

/** Certificate problems are configuration problems: retrying cannot fix them. */
const TLS_TRUST_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)/;

export function isTlsTrustError(code: string | undefined): boolean {
  return code !== undefined && TLS_TRUST_CODES.test(code);
}

/** PEM text as given, or the content of the file it names. */
export function loadCaCertificate(value: string): string {
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch {
    throw new ConfigError(`caCertificate: cannot read the PEM file ${value}`);
  }
}

/** "AB:CD:..." or "abcd..." -> "ABCD..." (64 hex digits), or a ConfigError. */
export function normaliseFingerprint(value: string): string {
  const hex = value.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new ConfigError('certificateFingerprint must be a SHA-256 digest (64 hex digits, colons allowed)');
  return hex;
}

export class CertificatePinError extends ConfigError {}

/**
 * A TLS connector that accepts exactly one server certificate, identified by its SHA-256 fingerprint.
 * This is how a self-signed school or gateway server is trusted without turning verification off for anything
 * else: the chain check (which a self-signed certificate cannot pass) is replaced by an exact match on the
 * certificate itself, which is stricter, and only for this account's connections.
 */
export function pinnedConnector(fingerprint: string, timeoutMs: number, servername?: string): buildConnector.connector {
  const expected = normaliseFingerprint(fingerprint);
  return (opts, callback) => {
    let done = false;
    const finish = (err: Error | null, socket: tls.TLSSocket | null) => {
      if (done) return;
      done = true;
      if (err) {
        socket?.destroy();
        callback(err, null);
      } else callback(null, socket as tls.TLSSocket);
    };
    const socket = tls.connect({
      host: opts.hostname,
      port: Number(opts.port) || 443,
      servername: servername || opts.servername || (isIpAddress(opts.hostname) ? undefined : opts.hostname),
      ALPNProtocols: ['http/1.1'],
      // Deliberate: a self-signed server cannot pass the chain check, so it is off for this account's sockets only,
      // and replaced by the exact SHA-256 comparison of the certificate below before any byte is sent.
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate(false)?.raw;
      const actual = raw ? new X509Certificate(raw).fingerprint256.replace(/:/g, '') : '';
      if (actual !== expected) {
        finish(
          new CertificatePinError(
            `the server certificate does not match certificateFingerprint ` + `(server presents ${actual.slice(0, 8)}…)`,
          ),
          socket,
        );
      } else finish(null, socket);
    });
    socket.once('timeout', () => finish(new TransientError('TLS connection timed out'), socket));
    socket.once('error', (err) => finish(err, socket));
  };
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
