import type { HttpClient } from '../../../core/http';
import { AuthError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import { OAuthToken } from './oauthToken';
import type { LoginStrategy, SessionOpener } from './strategy';

export const SOMFY_ACCOUNTS = 'https://accounts.somfy.com';
/** The public client of Somfy's TaHoma app (embedded in the app, as OAuth2 public clients are). */
const SOMFY_CLIENT = {
  id: '0d8e920c-1478-11e7-a377-02dd59bd3041_1ewvaqmclfogo4kcsoo0c8k4kso884owg08sg8c40sk4go4ksg',
  secret: '12k73w1n540g8o4cokg0cw84cog840k84cwggscwg884004kgk',
};

/**
 * Somfy Europe: an OAuth2 password grant at Somfy's accounts service, then `Authorization: Bearer` on every request
 * (never with a session cookie: the server refuses both at once), refreshed before it expires. An account the
 * accounts service refuses is tried with the form login (accounts that still take it) in the same attempt.
 */
export function somfyLogin(
  http: HttpClient,
  log: Logger,
  o: { brand: string; accountsUrl: string; username: string; password: string; now: () => number },
): LoginStrategy {
  const token = new OAuthToken(http, {
    brand: o.brand,
    url: `${o.accountsUrl.replace(/\/+$/, '')}/oauth/oauth/v2/token/jwt`,
    client: SOMFY_CLIENT,
    password: { username: o.username, password: o.password },
    now: o.now,
  });
  const form: SessionOpener = { form: { userId: o.username, userPassword: o.password } };
  let saidForm = false;
  return {
    brand: o.brand,
    async open(signal) {
      try {
        token.invalidate();
        return { bearer: await token.get(signal) };
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        if (!saidForm) log.info(`${o.brand}'s accounts service refused the login: trying the older form login`);
        saidForm = true;
        return form;
      }
    },
    bearer: (signal) => token.get(signal),
  };
}
