/**
 * Notification latency: our server (in a process of its own) with a rest-hook Subscription whose
 * payload is FHIR JSON; the bench writes Patients the criteria select at a steady rate and a receiver in
 * the bench's process notes when each one's notification arrives (the resource's id is in the PUT's
 * path). The latency is from the write being sent to its notification being received (issue 15: p99
 * under 100 ms at 100 writes/s). As in the other parts, a warm-up at the same rate comes first and is
 * not counted: a fresh server's first notifications wait for its code to be compiled and its first
 * connection to the receiver (the first thirty took 60-200 ms on the 2-core machine, none after).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer } from '../../harness/server/server.js';
import type { RunningTarget } from './targets.js';
import { figuresSince, settledRss } from './targets.js';

export async function startNotifyingTarget(): Promise<RunningTarget> {
  const started = performance.now();
  const running = await startServer({ validation: 'off' });
  return {
    url: running.url,
    figures: figuresSince(performance.now() - started, 0, settledRss()),
    close: () => running.close(),
  };
}

export interface NotificationBenchResult {
  writesPerSecond: number;
  writes: number;
  delivered: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

export async function measureNotifications(
  target: string,
  rate: number,
  seconds: number,
  warmupSeconds: number,
): Promise<NotificationBenchResult> {
  const arrived = new Map<string, number>();
  const receiver: Server = createServer((request, response) => {
    const id = /\/Patient\/([^/?]+)/.exec(request.url ?? '')?.[1];
    if (id) arrived.set(id, performance.now());
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const post = (path: string, body: unknown) =>
    fetch(`${target}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', prefer: 'return=minimal' },
      body: JSON.stringify(body),
    });
  const subscribed = await post('Subscription', {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'bench',
    criteria: 'Patient?family=Benchmark',
    channel: { type: 'rest-hook', endpoint, payload: 'application/fhir+json' },
  });
  if (subscribed.status !== 201) throw new Error(`the Subscription was refused: HTTP ${subscribed.status}`);
  /** Writes at `rate` for `count` writes; when each arrived is read from `arrived` afterwards. */
  const writeAtRate = async (count: number, label: string): Promise<Map<string, number>> => {
    const sent = new Map<string, number>();
    const pending: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const at = performance.now();
      pending.push(
        post('Patient', {
          resourceType: 'Patient',
          name: [{ family: 'Benchmark', given: [`${label}${i}`] }],
        }).then(async (answer) => {
          const id = /\/Patient\/([^/]+)\/_history/.exec(answer.headers.get('location') ?? '')?.[1];
          await answer.arrayBuffer();
          if (id) sent.set(id, at);
        }),
      );
    }
    await Promise.all(pending);
    const deadline = performance.now() + 5_000;
    while ([...sent.keys()].some((id) => !arrived.has(id)) && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return sent;
  };
  await writeAtRate(Math.round(rate * warmupSeconds), 'W');
  const writes = Math.round(rate * seconds);
  const sent = await writeAtRate(writes, 'N');
  receiver.close();
  const latencies = [...sent]
    .map(([id, at]) => (arrived.has(id) ? (arrived.get(id) as number) - at : undefined))
    .filter((ms): ms is number => ms !== undefined)
    .sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    writesPerSecond: rate,
    writes,
    delivered: latencies.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? NaN),
  };
}
