import { defineVendor } from '../vendorEntry';
import { harmonysAccountSchema } from './account';
import { HarmonysIntegration } from './integration';

export const harmonysVendor = defineVendor({
  configKey: 'harmonys',
  vendor: 'Harmonys',
  schema: harmonysAccountSchema,
  secretFields: ['apiKey'],
  create: (account, ctx) => new HarmonysIntegration(account, ctx),
  demo: () => import('../../simulators/harmonys').then((m) => m.startHarmonysDemo()),
});
