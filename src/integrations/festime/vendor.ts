import { defineVendor } from '../vendorEntry';
import { festimeAccountSchema } from './account';

export const festimeVendor = defineVendor({
  configKey: 'festime',
  vendor: 'Festime',
  schema: festimeAccountSchema,
  secretFields: ['password'],
  create: (account, ctx) => new (integration().FestimeIntegration)(account, ctx),
  demo: () => import('../../simulators/festime').then((m) => m.startFestimeDemo()),
});

// The integration's code is loaded when the first account of this vendor is made: a bridge without one never holds it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const integration = () => require('./integration') as typeof import('./integration');
