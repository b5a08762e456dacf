import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { describeError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import type { StateFile } from '../../../core/stateFile';

/** Where Overkiz publishes the root CA that signs every gateway's local certificate (Somfy's developer mode docs). */
export const OVERKIZ_ROOT_CA_URL = 'https://ca.overkiz.com/overkiz-root-ca-2048.crt';
export const rootCaSchema = z.object({ url: z.string(), pem: z.string() });
const MAX_BYTES = 64 * 1024;

/**
 * Reads a root CA certificate (PEM or DER) over HTTPS verified with the system's CAs: plain http only from loopback
 * (a test server). Refuses anything that is not a CA certificate.
 */
export async function fetchRootCa(url: string, signal?: AbortSignal): Promise<string> {
  const { protocol, hostname } = new URL(url);
  if (protocol !== 'https:' && !(protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname)))
    throw new Error('the root CA is read over https only');
  const timeout = AbortSignal.timeout(10_000);
  const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > MAX_BYTES) throw new Error('the reply is too large for a certificate');
  const cert = new X509Certificate(body);
  if (!cert.ca) throw new Error('the certificate read is not a CA certificate');
  return cert.toString();
}

/**
 * The Overkiz root CA for the local API, when the account gives no caCertificate or certificateFingerprint. The
 * plugin ships no copy of it (it cannot vouch for bytes it did not get from Overkiz): it reads it once from Overkiz,
 * then keeps it in the storage dir (owner-only) and reads it again only if the URL changes. Unreadable: one warning,
 * another try at the next connection attempt, and the cloud serves the accessories meanwhile.
 */
export class OverkizRootCa {
  private warned = false;

  constructor(
    private readonly url: string,
    private readonly file: StateFile<z.output<typeof rootCaSchema>>,
    private readonly log: Logger,
    private readonly fetcher: typeof fetchRootCa = fetchRootCa,
  ) {}

  async pem(signal?: AbortSignal): Promise<string | undefined> {
    const kept = this.file.read();
    if (kept?.url === this.url) return kept.pem;
    try {
      const pem = await this.fetcher(this.url, signal);
      this.file.write({ url: this.url, pem });
      this.log.info(`the Overkiz root CA was read from ${this.url} and kept (${this.file.path})`);
      this.warned = false;
      return pem;
    } catch (err) {
      if (!this.warned)
        this.log.warn(
          `the Overkiz root CA could not be read from ${this.url} (${describeError(err)}): the gateway's certificate ` +
            'cannot be checked until it is; set caCertificate or certificateFingerprint to go without it',
        );
      this.warned = true;
      return undefined;
    }
  }
}
