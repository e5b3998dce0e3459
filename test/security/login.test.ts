/**
 * Nobody gets in by guessing or by a default: failed logins are throttled per user and per client
 * address (429 with Retry-After, a delay that grows), every refusal is logged without the password,
 * tokens with times in the future or past are refused, keys rotate, and `serve --auth` without users
 * makes a password of its own, said once.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, CLOCK_LEEWAY_SECONDS, TOKEN_ISSUER } from '../../harness/server/auth.js';
import type { LogEntry } from '../../harness/server/log.js';
import type { RunningServer } from '../../harness/server/server.js';
import { call, post, serve } from '../support/http-server.js';
import { startServerProcess, sleep } from '../support/raw-http.js';

const PASSWORD = 'correct-horse-battery';
const SECRET = 'login-suite-secret-0123456789';
const logged: LogEntry[] = [];
const clock = { offset: 0 };
let server: RunningServer;

beforeAll(async () => {
  server = await serve({
    validation: 'off',
    log: (entry) => logged.push(entry),
    auth: {
      users: [
        { username: 'alice', password: PASSWORD },
        { username: 'bob', password: PASSWORD },
      ],
      secret: SECRET,
      now: () => Date.now() + clock.offset,
      throttle: {
        freePerUser: 3,
        freePerAddress: 8,
        firstDelayMs: 1_000,
        maxDelayMs: 60_000,
        forgetAfterMs: 60_000,
        maxRecords: 100,
      },
    },
  });
});
afterAll(() => server.close());

const login = (username: string, password: string) =>
  post(`${server.url}/login`, { username, password }, { 'content-type': 'application/json' });

describe('guessing passwords', () => {
  it('after the free failures a user is answered 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await login('alice', `guess-${i}`)).status).toBe(401);
    const closed = await login('alice', 'guess-3');
    expect(closed.status).toBe(401); // this failure closes the door
    const refused = await login('alice', PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.resourceType).toBe('OperationOutcome');
    // Another user from the same address is not shut out by alice's failures alone.
    expect((await login('bob', PASSWORD)).status).toBe(200);
  });

  it('the delay grows with each failure past the free ones', () => {
    const now = { time: 0 };
    const auth = new Authenticator({
      users: [{ username: 'u', password: PASSWORD }],
      secret: SECRET,
      now: () => now.time,
    });
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const result = auth.login({ username: 'u', password: 'wrong' }, '10.0.0.1');
      if (result.status === 429) {
        waits.push(result.retryAfterSeconds);
        now.time += result.retryAfterSeconds * 1000;
        i--;
      }
    }
    expect(waits).toEqual([1, 2, 4]);
    // Once the door opens again, the right password gets in and clears the count.
    now.time += 10_000;
    expect(auth.login({ username: 'u', password: PASSWORD }, '10.0.0.1').status).toBe(200);
  });

  it('many user names from one address: the address is throttled too', async () => {
    let throttled = false;
    for (let i = 0; i < 12 && !throttled; i++) {
      const answer = await login(`nobody-${i}`, 'x');
      throttled = answer.status === 429;
    }
    expect(throttled).toBe(true);
    // A correct login from that address now waits as well: the address's door is closed.
    expect((await login('bob', PASSWORD)).status).toBe(429);
  });

  it('every refusal is logged with the user and the address, never the password', () => {
    const refusals = logged.filter((entry) => entry.event === 'login-refused');
    expect(refusals.length).toBeGreaterThan(5);
    expect(refusals.some((entry) => entry.status === 429)).toBe(true);
    for (const entry of refusals) {
      expect(entry.address).toBeTruthy();
      expect(JSON.stringify(entry)).not.toContain(PASSWORD);
      expect(JSON.stringify(entry)).not.toContain('guess-');
    }
  });

  it('concurrent guesses are all answered, and counted', async () => {
    const separate = await serve({
      validation: 'off',
      auth: { users: [{ username: 'carol', password: PASSWORD }], secret: SECRET },
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          post(
            `${separate.url}/login`,
            { username: 'carol', password: `g${i}` },
            { 'content-type': 'application/json' },
          ),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(20);
      expect((await call(`${separate.url}/metadata`)).status).toBe(200);
    } finally {
      await separate.close();
    }
  });
});

/** A token signed with the suite's key, with the claims given. */
function token(claims: Record<string, unknown>, secret = SECRET): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('token times', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const read = (claims: Record<string, unknown>) =>
    call(`${server.url}/Patient`, { headers: { authorization: `Bearer ${token(claims)}` } });
  const claims = () => ({ sub: 'bob', iss: TOKEN_ISSUER, iat: now(), exp: now() + 600 });

  it('a token issued now is taken; one issued or valid only in the future is refused', async () => {
    expect((await read(claims())).status).toBe(200);
    expect((await read({ ...claims(), iat: now() + CLOCK_LEEWAY_SECONDS + 60 })).status).toBe(401);
    expect((await read({ ...claims(), nbf: now() + CLOCK_LEEWAY_SECONDS + 60 })).status).toBe(401);
    expect((await read({ ...claims(), nbf: now() - 5 })).status).toBe(200);
    // Within the leeway, clocks that differ a little still agree.
    expect((await read({ ...claims(), iat: now() + 5 })).status).toBe(200);
  });

  it('an expired token, one without iat, and one with a malformed nbf are refused', async () => {
    expect((await read({ ...claims(), exp: now() - CLOCK_LEEWAY_SECONDS - 5 })).status).toBe(401);
    const { iat: _iat, ...withoutIat } = claims();
    expect((await read(withoutIat)).status).toBe(401);
    expect((await read({ ...claims(), nbf: 'soon' })).status).toBe(401);
  });
});

describe('anonymous bodies', () => {
  it('are not read: without a valid token even a body over the size limit gets 401, not 413', async () => {
    const body = JSON.stringify({ resourceType: 'Patient', text: 'x'.repeat(11 * 1024 * 1024) });
    const answer = await post(`${server.url}/Patient`, body, { 'content-type': 'application/fhir+json' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('keys rotate', () => {
  it('the first key signs, every listed key verifies, and a key taken out verifies no more', () => {
    const users = [{ username: 'u', password: PASSWORD }];
    const before = new Authenticator({ users, secret: ['old-key-0123456789abcdef'] });
    const issued = before.login({ username: 'u', password: PASSWORD });
    if (issued.status !== 200) throw new Error('login failed');
    const both = new Authenticator({
      users,
      secret: ['new-key-0123456789abcdef', 'old-key-0123456789abcdef'],
    });
    expect(both.verify(`Bearer ${issued.body.token}`).ok).toBe(true);
    both.setSecrets(['new-key-0123456789abcdef']);
    expect(both.verify(`Bearer ${issued.body.token}`).ok).toBe(false);
    expect(() => both.setSecrets(['short'])).toThrow(/at least/);
  });

  it('serve --token-secret-file: read at start and again on SIGHUP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openimis-keys-'));
    const keys = join(dir, 'keys');
    const users = join(dir, 'users.json');
    writeFileSync(keys, '# signing key first\nfirst-key-0123456789abcdef\n');
    writeFileSync(users, JSON.stringify([{ username: 'dave', password: PASSWORD }]));
    const process = await startServerProcess([
      '--auth',
      '--users',
      users,
      '--token-secret-file',
      keys,
      '--validation',
      'off',
    ]);
    try {
      const first = await post(
        `${process.url}/login`,
        { username: 'dave', password: PASSWORD },
        { 'content-type': 'application/json' },
      );
      expect(first.status).toBe(200);
      const bearer = { authorization: `Bearer ${first.body.token as string}` };
      expect((await call(`${process.url}/Patient`, { headers: bearer })).status).toBe(200);
      writeFileSync(keys, 'second-key-0123456789abcdef\n');
      process.child.kill('SIGHUP');
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) {
        await sleep(50);
        refused = (await call(`${process.url}/Patient`, { headers: bearer })).status === 401;
      }
      expect(refused, process.stderr()).toBe(true);
      expect(process.stderr()).toContain('token-secrets-reloaded');
      expect(process.stderr()).not.toContain('second-key');
    } finally {
      process.child.kill('SIGTERM');
      await process.ended;
    }
  });
});

/** What a process printed that matches `pattern` (its first group), waiting a little for the line. */
async function saidOnce(output: () => string, pattern: RegExp): Promise<string | undefined> {
  for (let i = 0; i < 40; i++) {
    const found = pattern.exec(output())?.[1];
    if (found) return found;
    await sleep(50);
  }
  return undefined;
}

describe('no built-in password', () => {
  it('serve --auth without --users makes a password, says it once, writes it to --password-file only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openimis-password-'));
    const file = join(dir, 'password');
    const process = await startServerProcess(['--auth', '--password-file', file, '--validation', 'off']);
    try {
      const said = await saidOnce(() => process.stdout(), /user: admin {2}password: (\S+)/);
      expect(said).toBeTruthy();
      expect(readFileSync(file, 'utf8').trim()).toBe(said);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(process.stderr()).not.toContain(said as string);
      const headers = { 'content-type': 'application/json' };
      expect(
        (await post(`${process.url}/login`, { username: 'admin', password: 'admin' }, headers)).status,
      ).toBe(401);
      expect(
        (await post(`${process.url}/login`, { username: 'admin', password: said }, headers)).status,
      ).toBe(200);
    } finally {
      process.child.kill('SIGTERM');
      await process.ended;
    }
    const again = await startServerProcess(['--auth', '--validation', 'off']);
    try {
      const other = await saidOnce(() => again.stdout(), /password: (\S+)/);
      expect(other).toBeTruthy();
      expect(other).not.toBe(readFileSync(file, 'utf8').trim());
    } finally {
      again.child.kill('SIGTERM');
      await again.ended;
    }
  });
});
