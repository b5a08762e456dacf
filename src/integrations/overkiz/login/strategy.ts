/** What opens an Overkiz session: a `/login` form (the server sets a cookie), or a Bearer sent on every request. */
export type SessionOpener = { form: Record<string, string> } | { bearer: string };

/**
 * How one brand logs in with what the user typed (e-mail and password). A strategy keeps its tokens in memory only
 * and is the one place that knows its brand's token service.
 */
export interface LoginStrategy {
  readonly brand: string;
  open(signal?: AbortSignal): Promise<SessionOpener>;
  /** Bearer sessions: the token for the next request, refreshed shortly before it expires (one refresh at a time). */
  bearer?(signal?: AbortSignal): Promise<string>;
}

/** The classic form login, and the token variants the API accepts in its place (given in the config). */
export function formLogin(brand: string, form: Record<string, string>): LoginStrategy {
  return { brand, open: async () => ({ form }) };
}
