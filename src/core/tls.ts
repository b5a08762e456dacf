import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { ConfigError, TransientError } from './errors';
import { type Connector, defaultSecureContext } from './transport';

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
export function pinnedConnector(fingerprint: string, timeoutMs: number, servername?: string): Connector {
  const expected = normaliseFingerprint(fingerprint);
  return (opts, callback) => {
    let done = false;
    const finish = (err: Error | null, socket: tls.TLSSocket) => {
      if (done) return;
      done = true;
      if (err) {
        socket.destroy();
        callback(err);
      } else callback(null, socket);
    };
    const socket = unverifiedSocket(opts.host ?? 'localhost', Number(opts.port) || 443, servername, timeoutMs);
    socket.once('secureConnect', () => {
      // Connected: from here on the agent's keep-alive decides how long the socket may stay idle.
      socket.setTimeout(0);
      const actual = presentedFingerprint(socket)?.replace(/:/g, '') ?? '';
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

/**
 * A TLS socket whose chain is not checked: only the two uses below, which compare or show the certificate before any
 * byte is sent (a self-signed server cannot pass the chain check).
 */
function unverifiedSocket(host: string, port: number, servername: string | undefined, timeoutMs: number): tls.TLSSocket {
  return tls.connect({
    host,
    port,
    servername: servername || (isIpAddress(host) ? undefined : host),
    ALPNProtocols: ['http/1.1'],
    secureContext: defaultSecureContext(),
    // Deliberate: replaced by the exact SHA-256 comparison in pinnedConnector, or only read to be shown.
    rejectUnauthorized: false,
    timeout: timeoutMs,
  });
}

/** "AB:CD:…" of the certificate the socket's server presented. */
function presentedFingerprint(socket: tls.TLSSocket): string | undefined {
  const raw = socket.getPeerCertificate(false)?.raw;
  return raw ? new X509Certificate(raw).fingerprint256 : undefined;
}

/**
 * The SHA-256 fingerprint of the certificate an https server presents, read without trusting it, to be shown to the
 * user (who may then pin it); nothing is sent on the socket. Undefined for http or when the server does not answer.
 */
export function peerFingerprint(url: string, timeoutMs = 5000): Promise<string | undefined> {
  const { hostname, port, protocol } = new URL(url);
  if (protocol !== 'https:') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = unverifiedSocket(hostname, Number(port) || 443, undefined, timeoutMs);
    const done = (fingerprint: string | undefined) => {
      socket.destroy();
      resolve(fingerprint);
    };
    socket.once('secureConnect', () => done(presentedFingerprint(socket)));
    socket.once('error', () => done(undefined));
    socket.once('timeout', () => done(undefined));
  });
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
