import type { HttpClient } from '../../../core/http';
import type { Logger } from '../../../core/log';
import type { OverkizAccount } from '../account';
import { OVERKIZ_SERVER_NAMES } from '../account';
import { cozytouchLogin } from './cozytouch';
import type { OAuthTokenOptions } from './oauthToken';
import { rexelLogin } from './rexel';
import { somfyLogin } from './somfy';
import { formLogin, type LoginStrategy } from './strategy';

/** Servers whose accounts log in through the brand's own service first. */
const COZYTOUCH = new Set(['atlantic_cozytouch', 'sauter_cozytouch', 'thermor_cozytouch']);
const SOMFY_OAUTH = new Set(['somfy_europe']);

/**
 * The login strategy of an account: a token given in the config wins (jwt, accessToken, ssoToken), then the brand's
 * own login for what the user typed, else the classic form. Undefined: a local gateway's token, no login at all.
 */
export function loginStrategyFor(
  a: OverkizAccount,
  deps: { http: HttpClient; log: Logger; now: () => number; tokens?: OAuthTokenOptions['store'] },
): LoginStrategy | undefined {
  const { http, log, now } = deps;
  const brand = OVERKIZ_SERVER_NAMES[a.server] ?? 'Overkiz';
  if (a.token) return undefined;
  if (a.server === 'rexel')
    return rexelLogin(http, {
      brand,
      tokenUrl: a.rexelTokenUrl,
      refreshToken: a.refreshToken,
      accessToken: a.accessToken,
      store: deps.tokens,
      now,
    });
  if (a.jwt) return formLogin(brand, { jwt: a.jwt });
  if (a.accessToken) return formLogin(brand, { accessToken: a.accessToken });
  if (a.ssoToken) return formLogin(brand, { userId: a.username ?? '', ssoToken: a.ssoToken });
  const username = a.username ?? '';
  const password = a.password ?? '';
  if (COZYTOUCH.has(a.server)) return cozytouchLogin(http, { brand, apiUrl: a.atlanticApiUrl, username, password, now });
  if (SOMFY_OAUTH.has(a.server)) return somfyLogin(http, log, { brand, accountsUrl: a.somfyAccountsUrl, username, password, now });
  return formLogin(brand, { userId: username, userPassword: password });
}

/** Headers the brand's server wants on every request: Rexel's proxy takes the gateway in `gatewayId`. */
export function brandHeaders(a: OverkizAccount): Record<string, string> | undefined {
  return a.server === 'rexel' && a.gatewayId ? { gatewayId: a.gatewayId } : undefined;
}
