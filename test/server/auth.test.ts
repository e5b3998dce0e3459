import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Authenticator, CLOCK_LEEWAY_SECONDS, loadUsers } from '../../harness/server/auth.js';

const users = [
  { username: 'Admin', password: 'admin123' },
  { username: 'clerk', password: 'pässwörd' },
];
const START = Date.UTC(2025, 0, 1, 12, 0, 0);

function authenticator(clock = { time: START }, secret = 'test-secret-0123456789') {
  return new Authenticator({ users, secret, tokenLifetimeSeconds: 600, now: () => clock.time });
}

function tokenOf(auth: Authenticator, username = 'Admin', password = 'admin123'): string {
  const result = auth.login({ username, password });
  if (result.status !== 200) throw new Error(`login failed: ${result.message}`);
  return result.body.token;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (unsigned: string, secret: string) =>
  createHmac('sha256', secret).update(unsigned).digest('base64url');

describe('login', () => {
  it('issues a HS256 JWT with sub, iat, exp and iss, and exp in seconds since the epoch', () => {
    const result = authenticator().login({ username: 'Admin', password: 'admin123' });
    expect(result.status).toBe(200);
    if (result.status !== 200) return;
    const [header, payload, signature] = result.body.token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims).toEqual({
      sub: 'Admin',
      iat: START / 1000,
      exp: START / 1000 + 600,
      iss: 'openimis-fhir',
    });
    expect(result.body.exp).toBe(START / 1000 + 600);
    expect(signature).toBe(sign(`${header}.${payload}`, 'test-secret-0123456789'));
  });

  it('accepts non-ASCII passwords', () => {
    expect(authenticator().login({ username: 'clerk', password: 'pässwörd' }).status).toBe(200);
  });

  it.each([
    ['a wrong password', { username: 'Admin', password: 'admin124' }],
    ['an unknown user', { username: 'nobody', password: 'admin123' }],
    ['a user name in another case', { username: 'admin', password: 'admin123' }],
    ["another user's password", { username: 'clerk', password: 'admin123' }],
  ])('refuses %s with 401', (_label, body) => {
    expect(authenticator().login(body)).toEqual({
      status: 401,
      message: 'unknown user name or wrong password',
    });
  });

  it.each([
    ['null', null],
    ['a string', '{"username":"Admin","password":"admin123"}'],
    ['a number', 42],
    ['an array', [{ username: 'Admin', password: 'admin123' }]],
    ['an empty object', {}],
    ['no password', { username: 'Admin' }],
    ['no username', { password: 'admin123' }],
    ['a numeric password', { username: 'Admin', password: 123 }],
    ['an object username', { username: { $ne: '' }, password: 'admin123' }],
    ['an array password', { username: 'Admin', password: ['admin123'] }],
    ['a blank username', { username: '', password: 'admin123' }],
    ['a blank password', { username: 'Admin', password: '' }],
    ['a huge username', { username: 'A'.repeat(100_000), password: 'admin123' }],
    ['a huge password', { username: 'Admin', password: 'x'.repeat(1_000_000) }],
  ])('refuses %s with 400', (_label, body) => {
    const result = authenticator().login(body);
    expect(result.status).toBe(400);
    if (result.status === 400) expect(result.message).not.toContain('admin123');
  });

  it('ignores extra fields', () => {
    expect(authenticator().login({ username: 'Admin', password: 'admin123', remember: true }).status).toBe(
      200,
    );
  });

  it('refuses an empty secret and a bad lifetime at construction', () => {
    expect(() => new Authenticator({ users, secret: '' })).toThrow(RangeError);
    expect(() => new Authenticator({ users, tokenLifetimeSeconds: 0 })).toThrow(RangeError);
    expect(() => new Authenticator({ users, tokenLifetimeSeconds: 1.5 })).toThrow(RangeError);
  });

  it('defaults to a random secret per instance and an hour of lifetime', () => {
    const first = new Authenticator({ users, now: () => START });
    const second = new Authenticator({ users, now: () => START });
    const login = first.login({ username: 'Admin', password: 'admin123' });
    expect(login.status === 200 && login.body.exp).toBe(START / 1000 + 3600);
    const token = tokenOf(first);
    expect(first.verify(`Bearer ${token}`)).toEqual({ ok: true, username: 'Admin' });
    expect(second.verify(`Bearer ${token}`).ok).toBe(false);
  });
});

describe('verify', () => {
  it('accepts its own token, whatever the case of the scheme', () => {
    const auth = authenticator();
    const token = tokenOf(auth);
    expect(auth.verify(`Bearer ${token}`)).toEqual({ ok: true, username: 'Admin' });
    expect(auth.verify(`bearer ${token}`)).toEqual({ ok: true, username: 'Admin' });
  });

  it('refuses a token from the moment it expires, give or take the clock leeway', () => {
    const clock = { time: START };
    const auth = authenticator(clock);
    const header = `Bearer ${tokenOf(auth)}`;
    clock.time = START + 600_000 + CLOCK_LEEWAY_SECONDS * 1000 - 1;
    expect(auth.verify(header).ok).toBe(true);
    clock.time = START + 600_000 + CLOCK_LEEWAY_SECONDS * 1000;
    expect(auth.verify(header)).toEqual({ ok: false, message: expect.stringContaining('expired') });
  });

  it.each([
    ['no header', undefined, 'authentication required'],
    ['an empty header', '', 'authentication required'],
    ['Basic authentication', 'Basic QWRtaW46YWRtaW4xMjM=', 'Bearer'],
    ['a scheme without a token', 'Bearer', 'Bearer'],
    ['two tokens', 'Bearer a.b.c d.e.f', 'Bearer'],
    ['garbage', 'Bearer garbage', 'not a JWT'],
    ['four segments', 'Bearer a.b.c.d', 'not a JWT'],
    ['a non-base64url header', 'Bearer e30=.e30.sig', 'malformed header'],
    [
      'a header that is not JSON',
      `Bearer ${Buffer.from('nope').toString('base64url')}.e30.sig`,
      'malformed header',
    ],
    ['a huge token', `Bearer ${'a'.repeat(10_000)}`, 'not a valid token'],
  ])('refuses %s', (_label, header, message) => {
    const result = authenticator().verify(header);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('refuses a token whose payload was changed', () => {
    const auth = authenticator();
    const [header, , signature] = tokenOf(auth, 'clerk', 'pässwörd').split('.');
    const forged = b64({ sub: 'Admin', iat: START / 1000, exp: START / 1000 + 600, iss: 'openimis-fhir' });
    expect(auth.verify(`Bearer ${header}.${forged}.${signature}`)).toEqual({
      ok: false,
      message: 'the bearer token has an invalid signature',
    });
  });

  it('refuses an extended lifetime', () => {
    const auth = authenticator();
    const [header, payload, signature] = tokenOf(auth).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(
      auth.verify(`Bearer ${header}.${b64({ ...claims, exp: claims.exp + 10_000 })}.${signature}`).ok,
    ).toBe(false);
  });

  it('refuses alg none, with or without a signature', () => {
    const auth = authenticator();
    const payload = b64({ sub: 'Admin', iat: START / 1000, exp: START / 1000 + 600, iss: 'openimis-fhir' });
    for (const alg of ['none', 'None', 'NONE']) {
      const header = b64({ alg, typ: 'JWT' });
      for (const token of [
        `${header}.${payload}.`,
        `${header}.${payload}.${sign(`${header}.${payload}`, 'x')}`,
      ]) {
        expect(auth.verify(`Bearer ${token}`)).toEqual({
          ok: false,
          message: 'the bearer token must be signed with HS256',
        });
      }
    }
  });

  it('refuses other algorithms even when the HMAC is right', () => {
    const auth = authenticator();
    const payload = b64({ sub: 'Admin', iat: START / 1000, exp: START / 1000 + 600, iss: 'openimis-fhir' });
    for (const alg of ['HS384', 'HS512', 'RS256', 'hs256']) {
      const header = b64({ alg, typ: 'JWT' });
      expect(
        auth.verify(`Bearer ${header}.${payload}.${sign(`${header}.${payload}`, 'test-secret-0123456789')}`)
          .ok,
      ).toBe(false);
    }
  });

  it('refuses a token signed with another secret', () => {
    const other = tokenOf(authenticator({ time: START }, 'another-secret-0123456789'));
    expect(authenticator().verify(`Bearer ${other}`)).toEqual({
      ok: false,
      message: 'the bearer token has an invalid signature',
    });
  });

  it('refuses a non-canonical or truncated signature', () => {
    const auth = authenticator();
    const token = tokenOf(auth);
    const last = token.at(-1)!;
    const sibling = String.fromCharCode(last.charCodeAt(0) ^ 1); // the same 6-bit group's low bits
    expect(auth.verify(`Bearer ${token.slice(0, -1)}${sibling}`).ok).toBe(false);
    expect(auth.verify(`Bearer ${token.slice(0, -2)}`).ok).toBe(false);
    expect(auth.verify(`Bearer ${token}=`).ok).toBe(false);
  });

  it('refuses a correctly signed token lacking its claims or from another issuer', () => {
    const auth = authenticator();
    const header = b64({ alg: 'HS256', typ: 'JWT' });
    const exp = START / 1000 + 600;
    for (const claims of [
      { sub: 'Admin', exp },
      { sub: 'Admin', exp, iss: 'someone-else' },
      { sub: 'Admin', exp: String(exp), iss: 'openimis-fhir' },
      { exp, iss: 'openimis-fhir' },
      { sub: 'ghost', exp, iss: 'openimis-fhir' },
    ]) {
      const unsigned = `${header}.${b64(claims)}`;
      expect(auth.verify(`Bearer ${unsigned}.${sign(unsigned, 'test-secret-0123456789')}`).ok).toBe(false);
    }
    const unsigned = `${header}.${Buffer.from('[1]').toString('base64url')}`;
    expect(auth.verify(`Bearer ${unsigned}.${sign(unsigned, 'test-secret-0123456789')}`)).toEqual({
      ok: false,
      message: 'the bearer token has a malformed payload',
    });
  });

  it('never puts the token or the secret into a message', () => {
    const auth = authenticator();
    const token = tokenOf(auth);
    const result = auth.verify(`Bearer ${token.slice(0, -3)}abc`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).not.toContain(token.slice(0, 20));
      expect(result.message).not.toContain('test-secret-0123456789');
    }
  });
});

describe('loadUsers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auth-users-'));
  function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  it('reads an array and the {users: [...]} form', () => {
    expect(loadUsers(file('a.json', JSON.stringify(users)))).toEqual(users);
    expect(loadUsers(file('b.json', JSON.stringify({ users })))).toEqual(users);
  });

  it.each([
    ['a missing file', null, 'cannot read the users file'],
    ['invalid JSON', '{users: [}', 'not valid JSON'],
    ['a number', '3', 'must hold an array'],
    ['an object without users', '{"accounts": []}', 'must hold an array'],
    ['no users', '[]', 'lists no users'],
    ['a string entry', '["Admin"]', 'users[0] must be an object'],
    ['a missing password', '[{"username": "Admin"}]', 'users[0].password'],
    ['an empty user name', '[{"username": "", "password": "p"}]', 'users[0].username'],
    [
      'a numeric password',
      '[{"username": "a", "password": "p"}, {"username": "b", "password": 1}]',
      'users[1].password',
    ],
    [
      'a duplicate',
      '[{"username": "a", "password": "p"}, {"username": "a", "password": "q"}]',
      'listed twice',
    ],
  ])('reports %s', (label, content, message) => {
    const path =
      content === null ? join(dir, 'missing.json') : file(`${label.replace(/\W/g, '-')}.json`, content);
    const result = loadUsers(path);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toContain(message);
    expect((result as Error).message).toContain(path);
  });

  it('never puts a password into a message', () => {
    const path = file(
      'long.json',
      JSON.stringify([{ username: 'a', password: 'secret-' + 'x'.repeat(2000) }]),
    );
    const result = loadUsers(path);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).not.toContain('secret-');
  });
});
