/**
 * The server never acknowledges a write it has not kept. With --db, the journal deleted or replaced
 * while the server runs turns every write into a 503 (reads go on, /healthz and /readyz say why), and
 * a restart finds every acknowledged write; a full disk refuses the write that did not fit (507) and
 * loses nothing before it. A lock left by a dead server, or naming the server's own pid (a container's
 * PID 1 after kill -9), or naming a pid some other process took since, is taken over with a log line;
 * a lock held by another live server is still refused.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalLockedError, JournalStorage } from '../../harness/server/storage/index.js';
import { call, outcomeText, post, type Answer } from '../support/http-server.js';
import { startServerProcess, type ServerProcess } from '../support/raw-http.js';

const dir = mkdtempSync(join(tmpdir(), 'openimis-storage-security-'));
const running: ServerProcess[] = [];
afterAll(() => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function started(args: string[], options = {}): Promise<ServerProcess> {
  const server = await startServerProcess(args, options);
  running.push(server);
  return server;
}

async function stop(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  await server.ended;
}

const create = (base: string, family: string): Promise<Answer> =>
  post(`${base}/Patient`, { resourceType: 'Patient', name: [{ family }] }, { prefer: 'return=minimal' });

const idOf = (answer: Answer) =>
  /\/Patient\/([^/]+)\/_history/.exec(answer.headers.get('location') ?? '')?.[1];

/** Every acknowledged id is there after a restart on the same journal. */
async function expectKeptAfterRestart(db: string, ids: string[]): Promise<void> {
  const again = await started(['--db', db, '--validation', 'off']);
  try {
    for (const id of ids) expect((await call(`${again.url}/Patient/${id}`)).status, id).toBe(200);
  } finally {
    await stop(again);
  }
}

describe('the journal taken away while the server runs', () => {
  for (const [how, takeAway] of [
    ['deleted', (db: string) => unlinkSync(db)],
    [
      'replaced by another file',
      (db: string) => {
        writeFileSync(`${db}.other`, '');
        renameSync(`${db}.other`, db);
      },
    ],
  ] as const) {
    it(`${how}: writes get 503, reads go on, the health endpoints say why; nothing acknowledged is lost`, async () => {
      const db = join(dir, `${how.split(' ')[0]}.journal`);
      const server = await started(['--db', db, '--validation', 'off']);
      const acknowledged: string[] = [];
      for (let i = 0; i < 5; i++) {
        const answer = await create(server.url, `before-${i}`);
        expect(answer.status).toBe(201);
        acknowledged.push(idOf(answer) as string);
      }
      const kept = readFileSync(db);
      takeAway(db);
      const refused = await create(server.url, 'after');
      expect(refused.status).toBe(503);
      expect(outcomeText(refused.body)).toMatch(/journal/);
      expect((await create(server.url, 'after-2')).status).toBe(503);
      expect((await call(`${server.url}/Patient/${acknowledged[0]}`)).status).toBe(200);
      const origin = new URL(server.url).origin;
      const ready = await fetch(`${origin}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toMatch(/journal/);
      const health = await fetch(`${origin}/healthz`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { checks: { storage: { ok: boolean } } }).checks.storage.ok).toBe(
        false,
      );
      expect(server.stderr()).toMatch(/write-refused-storage/);
      await stop(server);
      // An operator puts the journal back (from where it went) and restarts: every acknowledged write is there.
      writeFileSync(db, kept);
      await expectKeptAfterRestart(db, acknowledged);
    });
  }

  it('a healthy server says so', async () => {
    const server = await started(['--db', join(dir, 'healthy.journal'), '--validation', 'off']);
    const origin = new URL(server.url).origin;
    const ready = await fetch(`${origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { storage: { ok: true }, memory: { ok: true } },
    });
    await stop(server);
  });
});

describe('a full disk', () => {
  it('the write that does not fit is refused with 507; those before it survive a restart', async () => {
    const db = join(dir, 'full.journal');
    // 64 blocks of 512 bytes: room for some small Patients, then EFBIG as on a full disk.
    const server = await started(['--db', db, '--validation', 'off'], { fileSizeLimitBlocks: 64 });
    const acknowledged: string[] = [];
    let refused: Answer | undefined;
    for (let i = 0; i < 400 && !refused; i++) {
      const answer = await create(server.url, `fill-${i}-${'x'.repeat(200)}`);
      if (answer.status === 201) acknowledged.push(idOf(answer) as string);
      else refused = answer;
    }
    expect(refused?.status, refused?.text).toBe(507);
    expect(outcomeText(refused?.body)).toMatch(/full/);
    expect(refused?.headers.get('retry-after')).toBeTruthy();
    expect(acknowledged.length).toBeGreaterThan(10);
    // Reads go on, and the server is still there.
    expect((await call(`${server.url}/Patient/${acknowledged[0]}`)).status).toBe(200);
    expect((await call(`${server.url}/Patient?_summary=count`)).body.total).toBe(acknowledged.length);
    await stop(server);
    await expectKeptAfterRestart(db, acknowledged);
  });
});

describe('the lock', () => {
  it('naming this very process (a restarted container is PID 1 again): taken over, with a note', () => {
    const path = join(dir, 'own-pid.journal');
    writeFileSync(`${path}.lock`, `${process.pid}\n`);
    const store = new JournalStorage(path);
    expect(store.notes.join(' ')).toMatch(/names this process/);
    // A second store in this process is still refused: this one holds the lock now.
    expect(() => new JournalStorage(path)).toThrow(JournalLockedError);
    store.close();
  });

  it('naming a pid that another process took since the lock was written: taken over', async () => {
    const path = join(dir, 'reused-pid.journal');
    const other = spawn('sleep', ['30']);
    try {
      // The pid is live, but its start time is not the one the dead owner wrote.
      writeFileSync(`${path}.lock`, `${other.pid} 1\n`);
      const store = new JournalStorage(path);
      expect(store.notes.join(' ')).toMatch(/another process/);
      store.close();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('left by a dead server: taken over; held by a live one: refused', async () => {
    const db = join(dir, 'shared.journal');
    writeFileSync(`${db}.lock`, '2147483646 12345\n');
    const first = await started(['--db', db, '--validation', 'off']);
    expect(first.stderr()).toMatch(/journal-lock.*no longer runs/);
    await expect(startServerProcess(['--db', db, '--validation', 'off'])).rejects.toThrow(
      /in use by process/,
    );
    await stop(first);
  });
});
