import { defineVendor } from '../vendorEntry';
import { baxoAccountSchema } from './account';

export const baxoVendor = defineVendor({
  configKey: 'baxo',
  vendor: 'BAXO',
  schema: baxoAccountSchema,
  secretFields: ['password'],
  discoveryDefaults: { tags: [{ deviceId: 'any', tagReference: 'any', as: 'temperature' }] },
  create: (account, ctx) => new (integration().BaxoIntegration)(account, ctx),
  demo: () => import('../../simulators/baxo').then((m) => m.startBaxoDemo()),
});

// The integration's code is loaded when the first account of this vendor is made: a bridge without one never holds it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const integration = () => require('./integration') as typeof import('./integration');
