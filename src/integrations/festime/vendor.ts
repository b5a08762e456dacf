import { defineVendor } from '../vendorEntry';
import { festimeAccountSchema } from './account';
import { FestimeIntegration } from './integration';

export const festimeVendor = defineVendor({
  configKey: 'festime',
  vendor: 'Festime',
  schema: festimeAccountSchema,
  secretFields: ['password'],
  create: (account, ctx) => new FestimeIntegration(account, ctx),
  demo: () => import('../../simulators/festime').then((m) => m.startFestimeDemo()),
});
