/** Typed errors shared by every integration. Messages never carry secrets (see redact.ts). */

export abstract class HubError extends Error {
  /** The (redacted, shortened) body of the vendor's error reply, for vendors whose errors have a structure. */
  detail?: string;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Credentials refused (401/403 or a vendor's equivalent). Never retried in a loop. */
export class AuthError extends HubError {}

/** The vendor asked us to slow down (429 or a quota error). */
export class RateLimitError extends HubError {
  constructor(
    message: string,
    status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message, status);
  }
}

/** Network failure, timeout or 5xx: worth retrying later. */
export class TransientError extends HubError {}

/** No answer within the request's time limit (the request may still have reached the vendor). */
export class TimeoutError extends TransientError {}

/** The vendor answered something we cannot understand (bad JSON, missing field, wrong type). */
export class ProtocolError extends HubError {}

/**
 * A refresh whose main route worked while a secondary route failed (and showed it on what that route feeds):
 * the loop backs off, the main route stays available, and the route has logged its own line.
 */
export class DegradedError extends HubError {}

/** The user's configuration cannot work. */
export class ConfigError extends HubError {}

/** The vendor understood the request and refused it (other 4xx, a command it does not accept). */
export class RejectedError extends HubError {}

/** The operation was cancelled by shutdown. */
export class AbortedError extends HubError {}

export function isAbort(err: unknown): boolean {
  return err instanceof AbortedError || (err instanceof Error && err.name === 'AbortError');
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
