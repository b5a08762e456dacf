import { defineVendor } from '../vendorEntry';
import { baxoAccountSchema } from './account';
import { BaxoIntegration } from './integration';

export const baxoVendor = defineVendor({
  configKey: 'baxo',
  vendor: 'BAXO',
  schema: baxoAccountSchema,
  secretFields: ['password'],
  discoveryDefaults: { tags: [{ deviceId: 'any', tagReference: 'any', as: 'temperature' }] },
  create: (account, ctx) => new BaxoIntegration(account, ctx),
  demo: () => import('../../simulators/baxo').then((m) => m.startBaxoDemo()),
});
