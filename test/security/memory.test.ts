/**
 * Memory without a budget no more: a server with a small heap refuses writes (503, Retry-After) once its
 * memory is spent, goes on answering reads, and does not die however many writes come; clients that
 * never read their responses are disconnected and their buffers freed.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { call, outcomeText, post, serve, type Answer } from '../support/http-server.js';
import { startServerProcess } from '../support/raw-http.js';

/** A Patient of about `bytes` bytes (its narrative). */
const largePatient = (family: string, bytes: number) => ({
  resourceType: 'Patient',
  name: [{ family }],
  text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${'x'.repeat(bytes)}</div>` },
});

describe('the memory budget', () => {
  it('a 256 MB heap: 1 MB writes are refused with 503 once memory is spent; reads go on; the server lives', async () => {
    const server = await startServerProcess(['--validation', 'off'], {
      nodeArgs: ['--max-old-space-size=256'],
    });
    try {
      let created = 0;
      let refused: Answer | undefined;
      for (let i = 0; i < 600 && !refused; i++) {
        const answer = await post(`${server.url}/Patient`, largePatient(`m${i}`, 1 << 20), {
          prefer: 'return=minimal',
        });
        if (answer.status === 201) created++;
        else refused = answer;
      }
      expect(refused?.status, refused?.text.slice(0, 300)).toBe(503);
      expect(outcomeText(refused?.body)).toMatch(/memory budget/);
      expect(refused?.headers.get('retry-after')).toBeTruthy();
      expect(created).toBeGreaterThan(20);
      // More writes: refused while memory is spent (some may pass as the collector frees what was
      // garbage), never a crash; the store holds exactly what was acknowledged.
      let refusedAfter = 0;
      for (let i = 0; i < 60; i++) {
        const answer = await post(`${server.url}/Patient`, largePatient('more', 1 << 20), {
          prefer: 'return=minimal',
        });
        expect([201, 503]).toContain(answer.status);
        if (answer.status === 201) created++;
        else refusedAfter++;
      }
      expect(refusedAfter).toBeGreaterThan(30);
      expect((await call(`${server.url}/Patient?_summary=count`)).body.total).toBe(created);
      const ready = await fetch(`${new URL(server.url).origin}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toMatch(/budget/);
      expect(server.child.exitCode).toBeNull();
      expect(server.stderr()).toMatch(/write-refused-memory/);
    } finally {
      server.child.kill('SIGKILL');
      await server.ended;
    }
  });

  it('--max-memory sets the budget', async () => {
    const server = await startServerProcess(['--validation', 'off', '--max-memory', '16']);
    try {
      const answer = await post(`${server.url}/Patient`, largePatient('small', 100));
      expect(answer.status).toBe(503);
      expect((await call(`${server.url}/metadata`)).status).toBe(200);
    } finally {
      server.child.kill('SIGKILL');
      await server.ended;
    }
  });
});

describe('clients that do not read', () => {
  it('are disconnected once nothing moves on their connection, their buffers freed', async () => {
    const server = await serve({ validation: 'off', socketTimeoutMs: 1_000 });
    try {
      for (let i = 0; i < 5; i++)
        expect((await post(`${server.url}/Patient`, largePatient('stalled-reader', 2 << 20))).status).toBe(
          201,
        );
      const origin = new URL(server.url);
      const path = `${origin.pathname}/Patient?family=stalled-reader&_count=5`;
      const full = (await call(`${server.url}/Patient?family=stalled-reader&_count=5`)).text.length;
      expect(full).toBeGreaterThan(10_000_000);
      const sockets = Array.from({ length: 20 }, () => {
        const socket = net.connect(Number(origin.port), origin.hostname);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
        socket.pause(); // never reads
        return socket;
      });
      // Time to answer all twenty (this process is the server too), then for the timeout to bite.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      // Read what made it into the buffers before the server gave up: never the whole answer.
      const received = await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<number>((resolve) => {
              let bytes = 0;
              socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
              socket.on('error', () => undefined);
              socket.on('close', () => resolve(bytes));
              socket.resume();
            }),
        ),
      );
      for (const bytes of received) expect(bytes).toBeLessThan(full);
      expect((await call(`${server.url}/metadata`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
