import { z } from 'zod';
import type { Logger } from '../core/log';
import { isCredentialsRef, SecretStore } from '../core/secretStore';
import { requiredKeys } from '../core/unknownKeys';
import { VENDORS } from '../integrations';
import { discover } from './discover';
import { testConnection } from './testConnection';

const vendorKey = z.enum(VENDORS.map((v) => v.configKey) as [string, ...string[]]);
const accountRequest = z.object({ configKey: vendorKey, account: z.record(z.string(), z.unknown()) });
const saveRequest = z.object({
  configKey: vendorKey,
  credentialsRef: z.string().optional(),
  values: z.record(z.string(), z.string()),
});
const statusRequest = z.object({ refs: z.array(z.string()).max(1000) });

export type Handler = (payload: unknown) => Promise<unknown>;

/** The request a page sent is not one this server takes: said in words, nothing done. */
export class BadRequest extends Error {}

function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new BadRequest(`bad request: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * The settings page's server side (homebridge-ui/server.js only wires these to @homebridge/plugin-ui-utils). Secrets
 * travel one way: the page sends what the user typed, the server keeps it in the secret store, and only the names of
 * stored fields ever go back.
 */
export function settingsHandlers(storagePath: string, log: Logger, timeoutMs?: number): Record<string, Handler> {
  const secrets = new SecretStore(storagePath, log);
  const opts = { storagePath, secrets, timeoutMs };
  return {
    '/vendors': async () =>
      VENDORS.map((v) => ({
        configKey: v.configKey,
        vendor: v.vendor,
        secretFields: v.secretFields,
        requiredFields: requiredKeys(v.schema),
      })),
    '/secrets/status': async (payload) => {
      const { refs } = parse(statusRequest, payload);
      return Object.fromEntries(refs.filter(isCredentialsRef).map((ref) => [ref, secrets.fields(ref)]));
    },
    '/secrets/save': async (payload) => {
      const req = parse(saveRequest, payload);
      const allowed = VENDORS.find((v) => v.configKey === req.configKey)?.secretFields ?? [];
      const unknown = Object.keys(req.values).filter((k) => !allowed.includes(k));
      if (unknown.length) throw new BadRequest(`bad request: ${unknown.join(', ')} is not a secret of ${req.configKey}`);
      const credentialsRef = secrets.set(req.credentialsRef, req.values);
      return { credentialsRef, fields: secrets.fields(credentialsRef) };
    },
    '/test': async (payload) => {
      const req = parse(accountRequest, payload);
      return testConnection(req.configKey, req.account, opts);
    },
    '/discover': async (payload) => {
      const req = parse(accountRequest, payload);
      return discover(req.configKey, req.account, opts);
    },
  };
}
