/**
 * The openIMIS login over HTTP: POST {base}/login (and login/) answers {token, exp}; every request but
 * /metadata then needs a Bearer token (401 with an OperationOutcome otherwise), and tokens expire.
 */
import { describe, expect, it } from 'vitest';
import { call, marker, plainPatient, post, serveForFile } from '../support/http-server.js';
import { CLOCK_LEEWAY_SECONDS } from '../../harness/server/auth.js';

const LIFETIME = 600;
/** The server's clock, moved by the expiry test and put back after it. */
const clock = { offset: 0 };
let base: string;

serveForFile(
  {
    validation: 'off',
    auth: {
      users: [{ username: 'Admin', password: 'admin123' }],
      secret: 'http-suite-secret',
      tokenLifetimeSeconds: LIFETIME,
      now: () => Date.now() + clock.offset,
    },
  },
  (url) => (base = url),
);

async function login(path = 'login'): Promise<string> {
  const answer = await post(
    `${base}/${path}`,
    { username: 'Admin', password: 'admin123' },
    {
      'content-type': 'application/json',
    },
  );
  expect(answer.status).toBe(200);
  return answer.body.token as string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expect401(answer: { status: number; headers: Headers; body: Record<string, unknown> }): void {
  expect(answer.status).toBe(401);
  expect(answer.body.resourceType).toBe('OperationOutcome');
  expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
}

describe('login', () => {
  it('POST {base}/login and {base}/login/ answer {token, exp}', async () => {
    for (const path of ['login', 'login/']) {
      const answer = await post(
        `${base}/${path}`,
        { username: 'Admin', password: 'admin123' },
        {
          'content-type': 'application/json',
        },
      );
      expect(answer.status, path).toBe(200);
      expect(answer.body.token.split('.')).toHaveLength(3);
      const now = Math.floor(Date.now() / 1000);
      expect(answer.body.exp).toBeGreaterThan(now);
      expect(answer.body.exp).toBeLessThanOrEqual(now + LIFETIME + 1);
    }
  });

  it('a wrong password or unknown user is 401 with an OperationOutcome; a malformed body is 400', async () => {
    for (const body of [
      { username: 'Admin', password: 'wrong' },
      { username: 'nobody', password: 'admin123' },
    ]) {
      const answer = await post(`${base}/login`, body, { 'content-type': 'application/json' });
      expect(answer.status).toBe(401);
      expect(answer.body.resourceType).toBe('OperationOutcome');
      expect(answer.text).not.toContain('admin123');
    }
    const malformed = await post(`${base}/login`, '[1]', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.resourceType).toBe('OperationOutcome');
  });
});

describe('a token is required', () => {
  it('without a token: 401 with an OperationOutcome and WWW-Authenticate, for reads and writes', async () => {
    expect401(await call(`${base}/Patient`));
    expect401(await post(`${base}/Patient`, plainPatient(marker('A'))));
    expect401(await call(`${base}/Patient/anything`));
    expect401(await post(base, { resourceType: 'Bundle', type: 'batch', entry: [] }));
  });

  it('a bad token (garbage, tampered, another signature, wrong scheme) is 401', async () => {
    const token = await login();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'root' })).toString('base64url');
    for (const authorization of [
      'Bearer garbage',
      `Bearer ${header}.${forged}.${signature}`,
      `Bearer ${header}.${payload}.${signature.slice(0, -2)}AA`,
      `Basic ${Buffer.from('Admin:admin123').toString('base64')}`,
      `Bearer ${'a'.repeat(10_000)}`,
    ]) {
      expect401(await call(`${base}/Patient`, { headers: { authorization } }));
    }
  });

  it('a valid token opens every interaction', async () => {
    const headers = bearer(await login());
    const created = await post(`${base}/Patient`, plainPatient(marker('A')), headers);
    expect(created.status).toBe(201);
    expect((await call(`${base}/Patient/${created.body.id}`, { headers })).status).toBe(200);
    expect((await call(`${base}/Patient?_id=${created.body.id}`, { headers })).body.total).toBe(1);
  });

  it('an expired token is 401 saying so', async () => {
    const headers = bearer(await login());
    clock.offset = (LIFETIME + CLOCK_LEEWAY_SECONDS + 5) * 1000;
    try {
      const answer = await call(`${base}/Patient`, { headers });
      expect401(answer);
      expect(JSON.stringify(answer.body)).toMatch(/expired/);
    } finally {
      clock.offset = 0;
    }
  });

  it('/metadata stays open and declares the security', async () => {
    const answer = await call(`${base}/metadata`);
    expect(answer.status).toBe(200);
    expect(answer.body.rest[0].security.description).toMatch(/login/);
  });
});
