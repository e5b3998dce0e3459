/**
 * TLS options against an HTTPS target with a self-signed certificate (made with openssl; skipped with a
 * notice where openssl is missing): refused by default with a hint, accepted with `insecure` or `caFile`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, step } from '../../harness/runner/index.js';
import { capabilityStatement, run } from '../support/fake-servers.js';

function makeCertificate(folder: string): { key: string; cert: string } | undefined {
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(folder, 'key.pem'),
        '-out',
        join(folder, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: join(folder, 'key.pem'), cert: join(folder, 'cert.pem') };
  } catch {
    return undefined;
  }
}

const folder = mkdtempSync(join(tmpdir(), 'oi-tls-'));
const files = makeCertificate(folder);
if (!files) console.warn('openssl not found: the TLS tests are skipped');
let server: Server;
let base = '';

beforeAll(async () => {
  if (!files) return;
  server = createServer(
    { key: readFileSync(files.key), cert: readFileSync(files.cert) },
    (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/fhir+json' })
        .end(JSON.stringify(capabilityStatement({})));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});
afterAll(async () => {
  if (server)
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  rmSync(folder, { recursive: true, force: true });
});

const ping = [
  scenario({
    id: 'ping',
    title: 'ping',
    steps: [
      step({
        id: 'metadata',
        title: 'm',
        run: async (t) => void t.expect(await t.get('metadata')).status(200),
      }),
    ],
  }),
];

describe.skipIf(!files)('TLS', () => {
  it('refuses an untrusted certificate with a hint', async () => {
    const result = await run(ping, base);
    expect(result.infrastructureError).toMatch(
      /the TLS certificate is not trusted \(.+\): pass --ca FILE, or --insecure/,
    );
  });

  it('accepts it with insecure, or with its CA file', async () => {
    for (const target of [
      { baseUrl: base, insecure: true },
      { baseUrl: base, caFile: files?.cert ?? '' },
    ]) {
      const result = await run(ping, base, { target });
      expect(result.infrastructureError).toBeUndefined();
      expect(result.scenarios[0]?.outcome).toBe('pass');
    }
  });
});
