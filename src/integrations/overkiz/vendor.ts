import { defineVendor } from '../vendorEntry';
import { overkizAccountSchema } from './account';

export const overkizVendor = defineVendor({
  configKey: 'overkiz',
  vendor: 'Overkiz',
  schema: overkizAccountSchema,
  secretFields: ['password', 'token', 'jwt', 'accessToken', 'ssoToken', 'refreshToken'],
  create: (account, ctx) => new (integration().OverkizIntegration)(account, ctx),
  demo: () => import('../../simulators/overkiz').then((m) => m.startOverkizDemo()),
});

// The integration's code is loaded when the first account of this vendor is made: a bridge without one never holds it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const integration = () => require('./integration') as typeof import('./integration');
