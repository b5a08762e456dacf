import { z } from 'zod';
import type { Clock } from '../../../core/clock';
import { describeError } from '../../../core/errors';
import { HttpClient } from '../../../core/http';
import type { Logger } from '../../../core/log';
import type { Redactor } from '../../../core/redact';
import type { StateFile } from '../../../core/stateFile';
import type { OverkizAccount } from '../account';
import { OverkizClient } from '../client';
import type { FoundGateway } from './discovery';
import { LocalFirstClient } from './localFirst';
import type { OverkizRootCa } from './rootCa';

export const LOCAL_PATH = '/enduser-mobile-web/1/enduserAPI';
export const storedLocalSchema = z.object({ pin: z.string(), token: z.string().optional() });

/**
 * The local API of an account's gateway, wired from the account: where it is (`localUrl`, else found by mDNS, else
 * https://gateway-<pin>.local:8443), how its certificate is trusted (caCertificate / certificateFingerprint, checked
 * against the gateway's own name when the URL holds an address), and its token, kept in an owner-only file.
 */
export function localLink(d: {
  account: OverkizAccount;
  cloud: OverkizClient;
  redactor: Redactor;
  clock: Clock;
  log: Logger;
  file: StateFile<z.output<typeof storedLocalSchema>>;
  discover: (timeoutMs: number) => Promise<FoundGateway[]>;
  /** The Overkiz root CA, used when the account sets neither caCertificate nor certificateFingerprint. */
  rootCa: Pick<OverkizRootCa, 'pem'>;
}) {
  const { account, file, log } = d;
  let pin = account.gatewayPin ?? file.read()?.pin;
  /** Read only when the account gives no trust of its own: then it is the only CA the gateway is checked against. */
  const needsRootCa = !account.caCertificate && !account.certificateFingerprint;
  let rootPem: string | undefined;
  let found: FoundGateway | undefined;
  const clients: HttpClient[] = [];
  const urlOf = (p: string) =>
    account.localUrl ??
    (found ? `https://${found.address ?? found.host}:${found.port}${LOCAL_PATH}` : `https://gateway-${p}.local:8443${LOCAL_PATH}`);
  const localWith = (token: string) => {
    const p = pin ?? '';
    const http = new HttpClient({
      baseUrl: urlOf(p),
      redactor: d.redactor,
      clock: d.clock,
      caCertificate: account.caCertificate ?? rootPem,
      certificateFingerprint: account.certificateFingerprint,
      servername: found?.address ? found.host : undefined,
      maxConcurrent: 2,
      retries: 0,
    });
    clients.push(http);
    d.redactor.add(token);
    return new OverkizClient(http, { bearer: token });
  };
  const resolvePin = async (): Promise<string> => {
    if (needsRootCa && !rootPem) rootPem = await d.rootCa.pem();
    if (!pin) {
      const setup = await d.cloud.setup();
      pin = setup.gateways[0]?.gatewayId;
      if (!pin) throw new Error('the cloud account has no gateway');
    }
    if (!account.localUrl && !found) {
      try {
        found = (await d.discover(3000)).find((g) => g.pin === pin);
      } catch (err) {
        log.debug(`mDNS discovery failed: ${describeError(err)}`);
      }
      if (found) log.info(`gateway ${pin} found on the LAN at ${found.address ?? found.host}`);
    }
    return pin;
  };
  const client = new LocalFirstClient({
    cloud: d.cloud,
    localWith,
    pin: resolvePin,
    tokens: {
      load: () => file.read()?.token,
      save: (token) => {
        if (pin) file.write({ pin, ...(token ? { token } : {}) });
      },
    },
    log,
    now: () => d.clock.now(),
  });
  return {
    client,
    inFlight: () => clients.reduce((n, c) => n + c.inFlight, 0),
    close: () => Promise.all(clients.map((c) => c.close())),
  };
}
