import { defineVendor } from '../vendorEntry';
import { homesmartlinkAccountSchema } from './account';

export const homesmartlinkVendor = defineVendor({
  configKey: 'homesmartlink',
  vendor: 'HomeSmartlink',
  schema: homesmartlinkAccountSchema,
  secretFields: ['clientSecret'],
  discoveryDefaults: { allHomes: true },
  create: (account, ctx) => new (integration().HomeSmartlinkIntegration)(account, ctx),
  demo: () => import('../../simulators/homesmartlink').then((m) => m.startHomeSmartlinkDemo()),
});

// The integration's code is loaded when the first account of this vendor is made: a bridge without one never holds it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const integration = () => require('./integration') as typeof import('./integration');
