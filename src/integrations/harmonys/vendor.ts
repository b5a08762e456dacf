import { defineVendor } from '../vendorEntry';
import { harmonysAccountSchema } from './account';

export const harmonysVendor = defineVendor({
  configKey: 'harmonys',
  vendor: 'Harmonys',
  schema: harmonysAccountSchema,
  secretFields: ['apiKey'],
  create: (account, ctx) => new (integration().HarmonysIntegration)(account, ctx),
  demo: () => import('../../simulators/harmonys').then((m) => m.startHarmonysDemo()),
});

// The integration's code is loaded when the first account of this vendor is made: a bridge without one never holds it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const integration = () => require('./integration') as typeof import('./integration');
