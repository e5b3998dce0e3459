/**
 * The openIMIS login (api_fhir_r4): `POST [base]/login/` with `{username, password}` answers
 * `{token, exp}` (exp in seconds since the epoch). The token is renewed shortly before it expires and
 * when the target answers 401. Nothing here logs; messages never hold the password or the token.
 */

/** What the login needs from the client: a POST that never throws. */
export type LoginPost = (
  url: string,
  body: string,
) => Promise<{ status: number; text: string } | { error: string }>;

/** Renew this long before the announced expiry, so a request does not arrive with a dying token. */
const EXPIRY_MARGIN_MS = 30_000;

export class OpenimisSession {
  private current: { token: string; expiresAtMs: number | undefined } | undefined;
  private pending: Promise<string | Error> | undefined;
  /** The login path that worked, tried first next time. */
  private knownPath: string | undefined;

  constructor(
    private readonly base: string,
    private readonly user: string,
    private readonly password: string,
    private readonly post: LoginPost,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid token, logging in when there is none or it is about to expire. */
  token(): Promise<string | Error> {
    const current = this.current;
    if (
      current &&
      (current.expiresAtMs === undefined || current.expiresAtMs - EXPIRY_MARGIN_MS > this.now())
    ) {
      return Promise.resolve(current.token);
    }
    return this.login();
  }

  /** A new token, whatever the old one's expiry says (after a 401). Concurrent callers share one login. */
  renew(rejected: string): Promise<string | Error> {
    if (this.current?.token === rejected) this.current = undefined;
    return this.token();
  }

  private login(): Promise<string | Error> {
    this.pending ??= this.attempt().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async attempt(): Promise<string | Error> {
    const body = JSON.stringify({ username: this.user, password: this.password });
    // openIMIS routes `login/`; some deployments strip the slash. A 404/405 on one tries the other.
    let last = '';
    for (const path of this.knownPath ? [this.knownPath] : ['login/', 'login']) {
      const url = `${this.base}/${path}`;
      const answer = await this.post(url, body);
      if ('error' in answer) return new Error(`the openIMIS login at ${url} failed: ${answer.error}`);
      if (answer.status === 404 || answer.status === 405) {
        last = `POST ${url} answered ${answer.status}`;
        continue;
      }
      if (answer.status !== 200) {
        const message = `the openIMIS login at ${url} answered ${answer.status}: check the user name and password`;
        // 5xx is the server failing; anything else is the credentials (or the login) being refused.
        return answer.status >= 500 ? new Error(message) : new LoginRefused(message);
      }
      const parsed = parseLogin(answer.text);
      if (parsed instanceof Error) return new Error(`the openIMIS login at ${url} ${parsed.message}`);
      this.current = parsed;
      this.knownPath = path;
      return parsed.token;
    }
    return new LoginRefused(`the target has no openIMIS login (${last})`);
  }
}

/** The login was refused, or there is none: the run's configuration is wrong, not the network. */
export class LoginRefused extends Error {}

function parseLogin(text: string): { token: string; expiresAtMs: number | undefined } | Error {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new Error('answered a body that is not JSON');
  }
  if (typeof value !== 'object' || value === null) return new Error('answered no {token, exp} object');
  const { token, exp } = value as { token?: unknown; exp?: unknown };
  if (typeof token !== 'string' || token === '') return new Error('answered no token');
  return { token, expiresAtMs: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined };
}
