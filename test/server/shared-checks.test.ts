/**
 * Mid-size write bodies (from 4 KiB, under the 256 KiB that always go off the event loop) are checked
 * in a worker thread when one is running and not backed up, in parallel with the event loop; otherwise
 * on the event loop. Either way the answer is the same: the same bodies, sent to a server that shares
 * and to one that never does, are accepted or refused alike, with the same OperationOutcome. The
 * health report says how many bodies the checking threads took; `--check-threads` sets how many run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../harness/server/server.js';
import { runCli } from '../support/cli.js';
import {
  call,
  marker,
  openimisPatient,
  outcomeText,
  post,
  serve,
  tick,
  type Json,
} from '../support/http-server.js';

/** About 6 KB: a narrative that makes the body mid-size without changing what its profile says. */
const padded = (resource: Json): Json => ({
  ...resource,
  text: {
    status: 'generated',
    div: `<div xmlns="http://www.w3.org/1999/xhtml">${'x'.repeat(6_000)}</div>`,
  },
});

interface BodyChecksHealth {
  running: number;
  checked: number;
}

async function bodyChecks(server: RunningServer): Promise<BodyChecksHealth> {
  const health = (await (await fetch(`${new URL(server.url).origin}/healthz`)).json()) as {
    checks: { bodyChecks: { detail: string } };
  };
  const [, running, checked] =
    /^(\d+) checking thread\(s\) running; (\d+) bodies checked/.exec(health.checks.bodyChecks.detail) ?? [];
  return { running: Number(running), checked: Number(checked) };
}

describe('mid-size bodies checked in a worker thread', () => {
  let shared: RunningServer;
  let local: RunningServer;
  beforeAll(async () => {
    [shared, local] = await Promise.all([serve({}), serve({ shareBytes: Infinity })]);
    // The first mid-size body starts the checking thread in the background and is checked here.
    const first = await post(`${shared.url}/Patient`, padded(openimisPatient()));
    expect(first.status).toBe(201);
    for (let i = 0; i < 200 && (await bodyChecks(shared)).running === 0; i++) await tick(25);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([shared?.close(), local?.close()]);
  });

  const sameCode = marker('c').slice(0, 12);
  const cases: [string, string | Json, string?][] = [
    ['conformant', padded(openimisPatient())],
    ['a wrong gender (base R4)', padded({ ...openimisPatient(), gender: 'robot' })],
    ['an unknown element', padded({ ...openimisPatient(), colour: 'blue' })],
    ['no identifier (the profile)', padded({ ...openimisPatient(), identifier: undefined })],
    [
      'a key given twice (the later one kept, on both paths)',
      JSON.stringify(padded(openimisPatient())).replace(
        '"gender":"male"',
        '"gender":"male","gender":"female"',
      ),
    ],
    ['not JSON', `${JSON.stringify(padded(openimisPatient())).slice(0, 5_000)}`],
    [
      'a transaction, one entry breaking its profile',
      {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: padded(openimisPatient(sameCode)), request: { method: 'POST', url: 'Patient' } },
          {
            resource: { ...openimisPatient(), identifier: undefined },
            request: { method: 'POST', url: 'Patient' },
          },
        ],
      },
      '',
    ],
  ];

  it('answers every body as the event loop would, and the checking thread took them', async () => {
    const before = await bodyChecks(shared);
    expect(before.running).toBe(1);
    for (const [label, body, path = 'Patient'] of cases) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      expect(Buffer.byteLength(text), label).toBeGreaterThanOrEqual(4 * 1024);
      const [there, here] = await Promise.all(
        [shared, local].map((server) => call(`${server.url}/${path}`, { method: 'POST', body: text })),
      );
      expect(there?.status, `${label}: ${outcomeText(there?.body)}`).toBe(here?.status);
      expect(outcomeText(there?.body), label).toBe(outcomeText(here?.body));
      if ((there?.status ?? 0) >= 400) expect(there?.body.resourceType, label).toBe('OperationOutcome');
    }
    expect((await bodyChecks(shared)).checked - before.checked).toBe(cases.length);
    expect(await bodyChecks(local)).toEqual({ running: 0, checked: 0 });
  });

  it('a body under 4 KiB stays on the event loop', async () => {
    const before = (await bodyChecks(shared)).checked;
    const answer = await post(`${shared.url}/Patient`, openimisPatient());
    expect(answer.status).toBe(201);
    expect((await bodyChecks(shared)).checked).toBe(before);
  });
});

describe('more checking threads', () => {
  it('--check-threads 2: both run and share the mid-size bodies', async () => {
    const server = await serve({ checkThreads: 2, warmBodyChecks: true });
    try {
      for (let i = 0; i < 400 && (await bodyChecks(server)).running < 2; i++) await tick(25);
      expect((await bodyChecks(server)).running).toBe(2);
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => post(`${server.url}/Patient`, padded(openimisPatient()))),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(201));
      expect((await bodyChecks(server)).checked).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('serve refuses a count that is not one to 64 (usage, exit 2)', async () => {
    for (const bad of ['0', '65', 'two']) {
      const run = await runCli(['serve', '--check-threads', bad, '--port', '0']);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/--check-threads must be a number from 1 to 64/);
    }
  });
});
