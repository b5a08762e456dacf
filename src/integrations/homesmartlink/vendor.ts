import { defineVendor } from '../vendorEntry';
import { homesmartlinkAccountSchema } from './account';
import { HomeSmartlinkIntegration } from './integration';

export const homesmartlinkVendor = defineVendor({
  configKey: 'homesmartlink',
  vendor: 'HomeSmartlink',
  schema: homesmartlinkAccountSchema,
  secretFields: ['clientSecret'],
  discoveryDefaults: { allHomes: true },
  create: (account, ctx) => new HomeSmartlinkIntegration(account, ctx),
  demo: () => import('../../simulators/homesmartlink').then((m) => m.startHomeSmartlinkDemo()),
});
