/**
 * openIMIS-style authentication (api_fhir_r4: `POST {base}login/` with `{username, password}` answers
 * `{token, exp}`; every other request carries `Authorization: Bearer <token>`).
 *
 * The token is a JWT signed with HMAC-SHA256 from node:crypto: one algorithm, checked strictly, is less
 * code and less attack surface than a JWT library. Its times (iat, nbf, exp) are checked with a small
 * leeway for clocks that differ. Keys rotate: the first secret signs, every secret listed verifies, so
 * a new key goes first and the old one stays until its tokens have expired. Failed logins are throttled
 * per user and per client address (login-throttle.ts). Nothing here logs; messages never hold a
 * password, a token or the secret.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isJsonObject } from '../json.js';
import { LoginThrottle, type ThrottlePolicy } from './login-throttle.js';

export interface User {
  username: string;
  password: string;
}

export interface AuthOptions {
  users: User[];
  /**
   * HMAC keys: the first signs, all verify (rotation). Default: 32 random bytes per server start, so a
   * restart logs everybody out.
   */
  secret?: string | readonly string[];
  /** How failed logins are slowed down (login-throttle.ts defaults). */
  throttle?: ThrottlePolicy;
  /** Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Milliseconds since the epoch, like Date.now (tests move the clock). */
  now?: () => number;
}

export type LoginResult =
  | { status: 200; body: { token: string; exp: number } }
  | { status: 400 | 401; message: string }
  /** Too many failures: try again after `retryAfterSeconds`. */
  | { status: 429; message: string; retryAfterSeconds: number };

export type VerifyResult = { ok: true; username: string } | { ok: false; message: string };

/** The header to send with a 401 (RFC 6750 §3). */
export const WWW_AUTHENTICATE = 'Bearer realm="openimis-fhir"';

export const TOKEN_ISSUER = 'openimis-fhir';

/** Longer credentials are refused before hashing; no real user name or password comes near. */
const MAX_USERNAME_LENGTH = 256;
const MAX_PASSWORD_LENGTH = 1024;
/** A token larger than this is not one of ours; refusing it early bounds the work per request. */
const MAX_TOKEN_LENGTH = 4096;
/** Clocks that differ by this much still agree on a token's times. */
export const CLOCK_LEEWAY_SECONDS = 30;
/** A shorter secret is too easy to guess offline from one token. */
const MIN_SECRET_LENGTH = 16;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer +(\S+) *$/i;
const JWT_HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

/** sha256 first, so the constant-time comparison sees equal lengths whatever the inputs. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Decodes one JWT segment to a JSON object, or undefined when it is not one. */
function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export class Authenticator {
  private readonly passwordDigests = new Map<string, Buffer>();
  private secrets: Buffer[] = [];
  private readonly lifetime: number;
  private readonly throttle: LoginThrottle;
  private readonly now: () => number;
  /** Compared against when the user name is unknown, so both failures take the same time. */
  private readonly decoyDigest = digest(randomBytes(16).toString('hex'));

  constructor(options: AuthOptions) {
    for (const user of options.users) this.passwordDigests.set(user.username, digest(user.password));
    if (options.secret === undefined) this.secrets = [randomBytes(32)];
    else this.setSecrets(typeof options.secret === 'string' ? [options.secret] : options.secret);
    this.lifetime = options.tokenLifetimeSeconds ?? 3600;
    if (!Number.isInteger(this.lifetime) || this.lifetime <= 0) {
      throw new RangeError('tokenLifetimeSeconds must be a positive integer');
    }
    this.now = options.now ?? Date.now;
    this.throttle = new LoginThrottle(options.throttle, this.now);
  }

  /** Replaces the keys (a rotation): the first signs from now on, every one verifies. */
  setSecrets(secrets: readonly string[]): void {
    if (secrets.length === 0) throw new RangeError('at least one token secret is needed');
    for (const secret of secrets)
      if (secret.length < MIN_SECRET_LENGTH)
        throw new RangeError(`a token secret must be at least ${MIN_SECRET_LENGTH} characters`);
    this.secrets = secrets.map((secret) => Buffer.from(secret, 'utf8'));
  }

  /**
   * Checks `{username, password}` (the parsed JSON body) and issues a token. `address` is the client's,
   * for the throttle.
   */
  login(body: unknown, address = 'unknown'): LoginResult {
    if (!isJsonObject(body)) {
      return {
        status: 400,
        message: 'the login body must be a JSON object {"username": ..., "password": ...}',
      };
    }
    const { username, password } = body;
    for (const [field, value, max] of [
      ['username', username, MAX_USERNAME_LENGTH],
      ['password', password, MAX_PASSWORD_LENGTH],
    ] as const) {
      if (value === undefined) return { status: 400, message: `${field} is required` };
      if (typeof value !== 'string') return { status: 400, message: `${field} must be a string` };
      if (value.length === 0) return { status: 400, message: `${field} must not be blank` };
      if (value.length > max) return { status: 400, message: `${field} is longer than ${max} characters` };
    }
    const user = username as string;
    const wait = this.throttle.waitFor(user, address);
    if (wait > 0) {
      const retryAfterSeconds = Math.ceil(wait / 1000);
      return {
        status: 429,
        message: `too many failed logins for this user or from this address: try again in ${retryAfterSeconds} s`,
        retryAfterSeconds,
      };
    }
    const known = this.passwordDigests.get(user);
    const matches = timingSafeEqual(known ?? this.decoyDigest, digest(password as string));
    if (!known || !matches) {
      this.throttle.failed(user, address);
      return { status: 401, message: 'unknown user name or wrong password' };
    }
    this.throttle.succeeded(user);
    return { status: 200, body: this.issue(user) };
  }

  /** Checks an Authorization header: `Bearer <a token this authenticator issued, not expired>`. */
  verify(authorizationHeader: string | undefined): VerifyResult {
    if (authorizationHeader === undefined || authorizationHeader.trim() === '') {
      return {
        ok: false,
        message: 'authentication required: send Authorization: Bearer <token> (get one from POST login/)',
      };
    }
    const token = BEARER.exec(authorizationHeader)?.[1];
    if (token === undefined)
      return { ok: false, message: 'the Authorization header must be "Bearer <token>"' };
    if (token.length > MAX_TOKEN_LENGTH)
      return { ok: false, message: 'the bearer token is not a valid token' };

    const segments = token.split('.');
    if (segments.length !== 3) return { ok: false, message: 'the bearer token is not a JWT' };
    const [headerSegment = '', payloadSegment = '', signatureSegment = ''] = segments;
    const header = decodeSegment(headerSegment);
    if (!header) return { ok: false, message: 'the bearer token has a malformed header' };
    // Only the algorithm we sign with: never "none", never one chosen by the token.
    if (header.alg !== 'HS256') return { ok: false, message: 'the bearer token must be signed with HS256' };
    if (header.typ !== undefined && header.typ !== 'JWT') {
      return { ok: false, message: 'the bearer token is not a JWT' };
    }
    if (!this.signedByUs(`${headerSegment}.${payloadSegment}`, signatureSegment)) {
      return { ok: false, message: 'the bearer token has an invalid signature' };
    }
    const payload = decodeSegment(payloadSegment);
    if (!payload) return { ok: false, message: 'the bearer token has a malformed payload' };
    const { sub, exp, iss, iat, nbf } = payload;
    if (
      iss !== TOKEN_ISSUER ||
      typeof sub !== 'string' ||
      sub === '' ||
      typeof exp !== 'number' ||
      typeof iat !== 'number'
    ) {
      return { ok: false, message: 'the bearer token lacks its claims (sub, iat, exp, iss)' };
    }
    if (nbf !== undefined && typeof nbf !== 'number')
      return { ok: false, message: 'the bearer token has a malformed nbf claim' };
    if (!this.passwordDigests.has(sub))
      return { ok: false, message: 'the bearer token names an unknown user' };
    const now = this.nowSeconds();
    if (!(exp + CLOCK_LEEWAY_SECONDS > now))
      return { ok: false, message: 'the bearer token has expired: log in again' };
    if (!(iat - CLOCK_LEEWAY_SECONDS <= now) || (nbf !== undefined && !(nbf - CLOCK_LEEWAY_SECONDS <= now)))
      return { ok: false, message: 'the bearer token is not valid yet (iat or nbf lies in the future)' };
    return { ok: true, username: sub };
  }

  private issue(username: string): { token: string; exp: number } {
    const iat = this.nowSeconds();
    const exp = iat + this.lifetime;
    const payload = base64url(JSON.stringify({ sub: username, iat, exp, iss: TOKEN_ISSUER }));
    const unsigned = `${JWT_HEADER}.${payload}`;
    return { token: `${unsigned}.${this.sign(unsigned)}`, exp };
  }

  private sign(unsigned: string, secret: Buffer = this.secrets[0] as Buffer): string {
    return createHmac('sha256', secret).update(unsigned, 'ascii').digest('base64url');
  }

  /** Signed with one of the keys. Comparing the encoded text also refuses non-canonical base64url. */
  private signedByUs(unsigned: string, signature: string): boolean {
    const given = Buffer.from(signature, 'ascii');
    let valid = false;
    for (const secret of this.secrets) {
      const expected = Buffer.from(this.sign(unsigned, secret), 'ascii');
      // Every key is tried, so the time taken does not tell which one matched.
      if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
    }
    return valid;
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

/**
 * Reads token secrets from a file: one per line, blank lines and lines starting with # skipped; the
 * first signs, every one verifies. Errors never show a secret.
 */
export function loadSecrets(file: string): string[] | Error {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return new Error(
      `cannot read the token secret file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const secrets = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (secrets.length === 0) return new Error(`the token secret file ${file} holds no secret`);
  const short = secrets.findIndex((secret) => secret.length < MIN_SECRET_LENGTH);
  if (short !== -1)
    return new Error(
      `the token secret file ${file}: secret ${short + 1} is shorter than ${MIN_SECRET_LENGTH} characters`,
    );
  return secrets;
}

/** A password for the built-in user when no users file is given: 24 random characters, printed once. */
export function generatedPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Reads the users of a server from a JSON file: `[{username, password}, ...]` or `{users: [...]}`.
 * Errors name the file and the entry, never a password.
 */
export function loadUsers(file: string): User[] | Error {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return new Error(`cannot read the users file ${file}: ${code}`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    return new Error(`the users file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(config) ? config : isJsonObject(config) ? config.users : undefined;
  if (!Array.isArray(list)) {
    return new Error(`the users file ${file} must hold an array of {username, password} or {"users": [...]}`);
  }
  if (list.length === 0) return new Error(`the users file ${file} lists no users, so nobody could log in`);
  const users: User[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of list.entries()) {
    const where = `${file}: users[${index}]`;
    if (!isJsonObject(entry)) return new Error(`${where} must be an object {username, password}`);
    const { username, password } = entry;
    if (typeof username !== 'string' || username === '') {
      return new Error(`${where}.username must be a non-empty string`);
    }
    if (typeof password !== 'string' || password === '') {
      return new Error(`${where}.password must be a non-empty string`);
    }
    if (username.length > MAX_USERNAME_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      return new Error(
        `${where}: user name or password too long (at most ${MAX_USERNAME_LENGTH} and ${MAX_PASSWORD_LENGTH})`,
      );
    }
    if (seen.has(username)) return new Error(`${where}: the user name "${username}" is listed twice`);
    seen.add(username);
    users.push({ username, password });
  }
  return users;
}
