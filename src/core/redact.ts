/**
 * Removes an account's secrets from any text before it is logged or put in an error.
 * Secrets are matched verbatim, URL-encoded, and base64-encoded (Basic auth headers), and
 * well-known secret-bearing URL parameters and headers are masked even when we do not know the value.
 */
const SECRET_PARAMS =
  /([?&;](?:password|passwd|pwd|token|apikey|api_key|secret|client_secret|access_token|jwt|ssoToken|userPassword)=)[^&#\s"']*/gi;
const SECRET_HEADERS = /((?:authorization|cookie|set-cookie|x-api-key)\s*[:=]\s*)[^\r\n,"]+/gi;

export class Redactor {
  private readonly needles: string[] = [];

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < 3) return;
    const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
    for (const f of forms) if (!this.needles.includes(f)) this.needles.push(f);
    // Longest first so a secret containing another is masked whole.
    this.needles.sort((a, b) => b.length - a.length);
  }

  /** Adds the Basic-auth form of a pair: base64 of "id:secret". */
  addBasic(user: string, secret: string): void {
    this.add(Buffer.from(`${user}:${secret}`).toString('base64'));
    this.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const n of this.needles) out = out.split(n).join('***');
    return out.replace(SECRET_PARAMS, '$1***').replace(SECRET_HEADERS, '$1***');
  }
}
