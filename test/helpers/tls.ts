import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSigned {
  key: string;
  cert: string;
  /** SHA-256 fingerprint, "AB:CD:..." as browsers show it. */
  fingerprint: string;
}

/** A throwaway self-signed certificate for 127.0.0.1, made with the machine's openssl for one test run. */
export function selfSigned(commonName = 'harmonys.school.lan'): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'bhub-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=DNS:${commonName},IP:127.0.0.1`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert, fingerprint: new X509Certificate(cert).fingerprint256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CaSigned {
  /** The test CA, to pass as the trusted root. */
  ca: string;
  key: string;
  cert: string;
}

/** A throwaway CA and a server certificate it signed for `name` and 127.0.0.1 (a gateway's local API). */
export function caSigned(name: string): CaSigned {
  const dir = mkdtempSync(join(tmpdir(), 'bhub-tls-'));
  const f = (n: string) => join(dir, n);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run('req', '-x509', ...ec, '-days', '2', '-subj', '/CN=Test Overkiz Root CA', '-keyout', f('ca.key'), '-out', f('ca.pem'));
    run('req', '-new', ...ec, '-subj', `/CN=${name}`, '-keyout', f('leaf.key'), '-out', f('leaf.csr'));
    writeFileSync(f('ext.cnf'), `subjectAltName=DNS:${name},IP:127.0.0.1\n`);
    run(
      'x509',
      '-req',
      '-in',
      f('leaf.csr'),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      f('ext.cnf'),
      '-out',
      f('leaf.pem'),
    );
    return { ca: readFileSync(f('ca.pem'), 'utf8'), key: readFileSync(f('leaf.key'), 'utf8'), cert: readFileSync(f('leaf.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
