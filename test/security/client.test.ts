/**
 * The test client does not trust the size a target answers with: a body over --max-response-bytes is
 * read as a stream and abandoned at the limit, the step fails saying so, the run goes on, and the
 * client's memory stays bounded (a target streaming 1.5 GB used to take the harness past 2 GB).
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { scenario, step } from '../../harness/runner/index.js';
import { capabilityStatement, onlyStep, run, fakeTargetsPerTest } from '../support/fake-servers.js';
import { runCli } from '../support/cli.js';

const serve = fakeTargetsPerTest(capabilityStatement({ Patient: ['read'] }));

/** Streams `total` bytes of a JSON string, as fast as the client takes them, stopping when it goes. */
function streamHuge(response: ServerResponse, total: number, declareLength: boolean): void {
  const chunk = Buffer.alloc(1 << 20, 0x61);
  const head = Buffer.from('{"resourceType":"Patient","id":"');
  response.writeHead(200, {
    'content-type': 'application/fhir+json',
    ...(declareLength ? { 'content-length': String(total) } : {}),
  });
  response.write(head);
  let sent = head.length;
  const more = () => {
    while (sent < total && !response.destroyed) {
      sent += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', more);
    }
    if (!response.destroyed) response.end();
  };
  response.on('close', () => (sent = total));
  more();
}

const readTwice = scenario({
  id: 'read-huge',
  title: 'Reads a huge Patient',
  steps: [
    step({
      id: 'read',
      title: 'read',
      run: async (t) => {
        t.expect(await t.get('Patient/1')).status(200);
      },
    }),
    step({ id: 'after', title: 'runs after it', run: async () => undefined }),
  ],
});

describe('a target that answers more than the client takes', () => {
  for (const declareLength of [false, true]) {
    it(`1.5 GB ${declareLength ? 'with' : 'without'} a Content-Length: the step fails at the limit, memory stays bounded`, async () => {
      const server = await serve((_request, response) => streamHuge(response, 1_500_000_000, declareLength));
      const before = process.memoryUsage().rss;
      const result = await run([readTwice], server.url, {
        target: { baseUrl: server.url, maxResponseBytes: 32 * 1024 * 1024 },
      });
      const grown = process.memoryUsage().rss - before;
      const read = onlyStep(result);
      expect(read.outcome).toBe('fail');
      expect(read.messages.join(' ')).toMatch(/larger than the client's limit of 33554432 bytes/);
      expect(result.scenarios[0]?.steps[1]?.outcome).toBe('pass');
      expect(grown).toBeLessThan(300 * 1024 * 1024);
    });
  }

  it('a body within the limit is read whole', async () => {
    const server = await serve((_request, response) => streamHuge(response, 3_000_000, false));
    const result = await run([readTwice], server.url, {
      target: { baseUrl: server.url, maxResponseBytes: 4_000_000 },
    });
    expect(onlyStep(result).messages.join(' ')).not.toMatch(/limit/);
  });

  it('test --max-response-bytes: a bad value is a usage error', async () => {
    const answer = await runCli([
      'test',
      '--server',
      'http://127.0.0.1:9/fhir',
      '--max-response-bytes',
      'lots',
    ]);
    expect(answer.code).toBe(2);
    expect(answer.stderr).toMatch(/--max-response-bytes must be a positive whole number/);
  });
});
