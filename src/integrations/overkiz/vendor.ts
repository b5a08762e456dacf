import { defineVendor } from '../vendorEntry';
import { overkizAccountSchema } from './account';
import { OverkizIntegration } from './integration';

export const overkizVendor = defineVendor({
  configKey: 'overkiz',
  vendor: 'Overkiz',
  schema: overkizAccountSchema,
  secretFields: ['password', 'token', 'jwt', 'accessToken', 'ssoToken', 'refreshToken'],
  create: (account, ctx) => new OverkizIntegration(account, ctx),
  demo: () => import('../../simulators/overkiz').then((m) => m.startOverkizDemo()),
});
