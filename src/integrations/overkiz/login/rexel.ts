import type { HttpClient } from '../../../core/http';
import { OAuthToken, type OAuthTokenOptions } from './oauthToken';
import type { LoginStrategy } from './strategy';

/** Rexel Energeasy Connect's current endpoint: a proxy of the Overkiz API that takes the gateway in a header. */
export const REXEL_API = 'https://econnect-api.rexelservices.fr/api/enduser/overkiz';
export const REXEL_TOKEN_URL =
  'https://consumerlogin.rexelservices.fr/670998c0-f737-4d75-a32f-ba9292755b70/oauth2/v2.0/token?p=B2C_1A_SIGNINONLYHOMEASSISTANT';
const REXEL_CLIENT = {
  id: '2b635ede-c3fb-43bc-8d23-f6d17f80e96d',
  scope: 'https://adb2cservicesfrenduserprod.onmicrosoft.com/94f05108-65f7-477a-a84d-e67e1aed6f79/ExternalProvider',
};

/**
 * Rexel: its login is a browser consent page (Azure AD B2C), which a plugin cannot fill in. The user gives the
 * resulting refresh token (or an access token); it is sent as Bearer on every request, refreshed before it expires.
 * Rexel rotates refresh tokens: the newest is kept under the storage dir (`store`).
 */
export function rexelLogin(
  http: HttpClient,
  o: {
    brand: string;
    tokenUrl: string;
    refreshToken?: string;
    accessToken?: string;
    store?: OAuthTokenOptions['store'];
    now: () => number;
  },
): LoginStrategy {
  const token = new OAuthToken(http, {
    brand: o.brand,
    url: o.tokenUrl,
    client: REXEL_CLIENT,
    refreshToken: o.refreshToken,
    store: o.store,
    now: o.now,
  });
  const current = (signal?: AbortSignal) => (o.refreshToken ? token.get(signal) : Promise.resolve(o.accessToken ?? ''));
  return { brand: o.brand, open: async (signal) => ({ bearer: await current(signal) }), bearer: current };
}
