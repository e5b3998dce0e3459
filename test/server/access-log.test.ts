/**
 * `serve --access-log FILE|-`: one JSON line per request once answered (time, method, path, status,
 * duration, bytes, client), never a token, a query or a body.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, post } from '../support/http-server.js';
import { sleep, startServerProcess } from '../support/raw-http.js';

interface AccessLine {
  time: string;
  event: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  bytes: number;
  client: string;
}

const lines = (text: string): AccessLine[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"event":"request"'))
    .map((line) => JSON.parse(line) as AccessLine);

describe('serve --access-log', () => {
  it('to a file: each request once answered, without tokens, queries or bodies', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'openimis-access-')), 'access.log');
    const server = await startServerProcess(['--access-log', file, '--auth', '--validation', 'off']);
    try {
      const password =
        /password: (\S+)/.exec(server.stdout())?.[1] ??
        (await sleep(300), /password: (\S+)/.exec(server.stdout())?.[1]);
      const login = await post(
        `${server.url}/login`,
        { username: 'admin', password },
        { 'content-type': 'application/json' },
      );
      expect(login.status).toBe(200);
      const token = login.body.token as string;
      const headers = { authorization: `Bearer ${token}` };
      const created = await post(
        `${server.url}/Patient`,
        { resourceType: 'Patient', name: [{ family: 'SecretFamily' }] },
        headers,
      );
      expect(created.status).toBe(201);
      expect((await call(`${server.url}/Patient?family=SecretFamily`, { headers })).status).toBe(200);
      expect((await call(`${server.url}/Patient/nope`, { headers })).status).toBe(404);
      let logged: AccessLine[] = [];
      for (let i = 0; i < 40 && logged.length < 4; i++) {
        await sleep(50);
        logged = lines(readFileSync(file, 'utf8'));
      }
      const text = readFileSync(file, 'utf8');
      expect(logged.map((line) => [line.method, line.path.replace(/^\/fhir/, ''), line.status])).toEqual([
        ['POST', '/login', 200],
        ['POST', '/Patient', 201],
        ['GET', '/Patient', 200],
        ['GET', '/Patient/nope', 404],
      ]);
      for (const line of logged) {
        expect(Date.parse(line.time)).not.toBeNaN();
        expect(line.ms).toBeGreaterThanOrEqual(0);
        expect(line.client).toMatch(/127\.0\.0\.1/);
      }
      expect(logged[1]?.bytes).toBeGreaterThan(0);
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split('.')[2] as string);
      expect(text).not.toContain(password as string);
      expect(text).not.toContain('SecretFamily');
    } finally {
      server.child.kill('SIGTERM');
      await server.ended;
    }
  });

  it("to stdout with '-'", async () => {
    const server = await startServerProcess(['--access-log', '-', '--validation', 'off']);
    try {
      expect((await call(`${server.url}/metadata`)).status).toBe(200);
      let logged: AccessLine[] = [];
      for (let i = 0; i < 40 && logged.length === 0; i++) {
        await sleep(50);
        logged = lines(server.stdout());
      }
      expect(logged[0]).toMatchObject({ method: 'GET', status: 200 });
    } finally {
      server.child.kill('SIGTERM');
      await server.ended;
    }
  });

  it('an access log that cannot be opened is a usage error', async () => {
    await expect(
      startServerProcess(['--access-log', '/no/such/dir/access.log'], { timeoutMs: 10_000 }),
    ).rejects.toThrow(/cannot open the access log/);
  });
});
