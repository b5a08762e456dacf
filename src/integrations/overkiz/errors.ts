import { AuthError, type HubError, RateLimitError, TransientError } from '../../core/errors';

/** The session cookie or token is no longer valid: log in again (once). */
export class SessionExpiredError extends AuthError {}

/** Overkiz banned the account for a while after too many refused logins: no login for at least an hour. */
export class LoginBannedError extends AuthError {}

/** The event listener was dropped by the server: register a new one. */
export class ListenerLostError extends TransientError {}

/**
 * Overkiz answers `{errorCode, error}`. The message decides more than the code does (the same code covers a lost
 * session and a refused setup), so both are read, as python-overkiz-api does.
 */
export function classifyOverkizError(err: HubError): HubError {
  let body: { errorCode?: string; error?: string } = {};
  try {
    body = JSON.parse(err.detail ?? '{}');
  } catch {
    return err;
  }
  const text = `${body.error ?? ''}`;
  const wrap = <E extends HubError>(e: E): E => {
    e.detail = err.detail;
    return e;
  };
  if (/No registered event listener|Invalid event listener id/i.test(text))
    return wrap(new ListenerLostError(`the event listener was dropped (${text})`, err.status));
  if (/Not authenticated|Missing authorization token/i.test(text))
    return wrap(new SessionExpiredError(`the session ended (${text})`, err.status));
  if (/temporarily banned|Too many attempts|Too many requests.*login/i.test(text))
    return wrap(new LoginBannedError(`Overkiz refuses logins for a while: ${text}`, err.status));
  if (/too many|Server busy/i.test(text) || body.errorCode === 'EXEC_QUEUE_FULL')
    return wrap(new RateLimitError(`Overkiz asks to slow down: ${text}`, err.status, 60_000));
  if (body.errorCode === 'AUTHENTICATION_ERROR' || /Bad credentials|No such user account/i.test(text))
    return wrap(new AuthError(`login refused: ${text}`, err.status));
  return err;
}
