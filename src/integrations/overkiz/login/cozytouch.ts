import { z } from 'zod';
import type { HttpClient } from '../../../core/http';
import { OAuthToken } from './oauthToken';
import type { LoginStrategy } from './strategy';

export const ATLANTIC_API = 'https://apis.groupe-atlantic.com';
/** The public client credentials of Atlantic's Cozytouch app (Basic auth of its token service). */
const ATLANTIC_CLIENT = 'Q3RfMUpWeVRtSUxYOEllZkE3YVVOQmpGblpVYToyRWNORHpfZHkzNDJVSnFvMlo3cFNKTnZVdjBh';

/**
 * Atlantic Cozytouch (and Sauter, Thermor on the same server): a password grant at Atlantic's token service for
 * "GA-PRIVATEPERSON/<e-mail>", the account's JWT from Atlantic's API with that token, then `/login` with `jwt`.
 * The token is refreshed before it expires; each new Overkiz session asks for a fresh JWT.
 */
export function cozytouchLogin(
  http: HttpClient,
  o: { brand: string; apiUrl: string; username: string; password: string; now: () => number },
): LoginStrategy {
  const api = o.apiUrl.replace(/\/+$/, '');
  const token = new OAuthToken(http, {
    brand: o.brand,
    url: `${api}/token`,
    client: { basic: ATLANTIC_CLIENT },
    password: { username: `GA-PRIVATEPERSON/${o.username}`, password: o.password },
    now: o.now,
  });
  return {
    brand: o.brand,
    async open(signal) {
      const bearer = await token.get(signal);
      const res = await http.request({
        path: `${api}/magellan/accounts/jwt`,
        headers: { authorization: `Bearer ${bearer}` },
        responseType: 'text',
        schema: z.string(),
        signal,
      });
      const jwt = res.data.trim().replace(/^"|"$/g, '');
      http.redactor.add(jwt);
      return { form: { jwt } };
    },
  };
}
