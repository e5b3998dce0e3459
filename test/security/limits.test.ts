/**
 * Every request limit of the server (harness/server/limits.ts), over real HTTP: each one exceeded gets
 * the 4xx it promises, with an OperationOutcome that names the limit and its flag; a real payload at
 * scale (a batch of 1,000 openIMIS claims) passes them all; the server serves on after each refusal.
 * The cost of reading a request grows with its size and no faster: doubling the input at most about
 * doubles the work (measured as the best of several runs, with room for noise).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { igPaths } from '../../harness/paths.js';
import { DEFAULT_LIMITS, xmlSizeProblem } from '../../harness/server/limits.js';
import { parseJsonSource } from '../../harness/validator/json-source.js';
import { call, openimisPatient, outcomeText, post, serveForFile } from '../support/http-server.js';
import { notAnOutcome, rawRequest, socketRequest } from '../support/raw-http.js';

let base: string;
serveForFile({ validation: 'strict' }, (url) => (base = url));

const origin = () => new URL(base);
const path = (rest: string) => `${origin().pathname}${rest}`;

/** The answer is `status` with an OperationOutcome whose text names the limit's flag. */
function expectRefused(
  answer: { status: number; contentType: string; text: string },
  status: number,
  flag: string,
) {
  expect(notAnOutcome(answer, status), answer.text.slice(0, 300)).toBeUndefined();
  expect(answer.text).toContain(`'${flag}'`);
}

async function stillServes(): Promise<void> {
  const answer = await call(`${base}/metadata`);
  expect(answer.status).toBe(200);
}

describe('each limit exceeded is refused with the status it promises, naming the limit', () => {
  it('a request target longer than url-bytes: 414', async () => {
    const answer = await rawRequest(origin(), {
      method: 'GET',
      path: path(`/Patient?name=${'a'.repeat(DEFAULT_LIMITS.urlBytes)}`),
    });
    expectRefused(answer, 414, 'url-bytes');
    await stillServes();
  });

  it('more headers than the headers limit: 431', async () => {
    const headers = Object.fromEntries(
      Array.from({ length: DEFAULT_LIMITS.headers + 5 }, (_, i) => [`x-extra-${i}`, 'v']),
    );
    const answer = await rawRequest(origin(), { method: 'GET', path: path('/Patient'), headers });
    expectRefused(answer, 431, 'headers');
    await stillServes();
  });

  it('headers larger than header-bytes: 431 with an OperationOutcome', async () => {
    const answer = await socketRequest(
      origin(),
      `GET ${path('/metadata')} HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(DEFAULT_LIMITS.headerBytes + 10)}\r\n\r\n`,
    );
    expect(notAnOutcome(answer, 431)).toBeUndefined();
    await stillServes();
  });

  it('more query parameters than the parameters limit: 400, in the URL or in a form body', async () => {
    const query = Array.from({ length: DEFAULT_LIMITS.parameters + 1 }, () => 'a=1').join('&');
    expectRefused(
      await rawRequest(origin(), { method: 'GET', path: path(`/Patient?${query}`) }),
      400,
      'parameters',
    );
    const form = Array.from({ length: 150_000 }, (_, i) => `name=x${i}`).join('&');
    const answer = await rawRequest(origin(), {
      method: 'POST',
      path: path('/Patient/_search'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expectRefused(answer, 400, 'parameters');
    await stillServes();
  });

  it('a body over body-bytes: 413, also when sent chunked without a length', async () => {
    const body = JSON.stringify({ resourceType: 'Patient', text: 'x'.repeat(DEFAULT_LIMITS.bodyBytes) });
    const headers = { 'content-type': 'application/fhir+json' };
    expectRefused(
      await rawRequest(origin(), { method: 'POST', path: path('/Patient'), headers, body }),
      413,
      'body-bytes',
    );
    expectRefused(
      await rawRequest(origin(), { method: 'POST', path: path('/Patient'), headers, body, chunked: true }),
      413,
      'body-bytes',
    );
    await stillServes();
  });

  it('JSON nested deeper than json-depth: 400', async () => {
    const depth = DEFAULT_LIMITS.jsonDepth + 1;
    const body = `{"resourceType":"Patient","extension":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const answer = await rawRequest(origin(), {
      method: 'POST',
      path: path('/Patient'),
      headers: { 'content-type': 'application/fhir+json' },
      body,
    });
    expectRefused(answer, 400, 'json-depth');
  });

  it('more JSON values than json-nodes, a longer array than array-length, a longer string than string-length: 413', async () => {
    const headers = { 'content-type': 'application/fhir+json' };
    // 1.5 million empty extensions froze every other request for 12 s: refused now, by array-length,
    // and in twenty arrays of 60,000 (each under array-length) by json-nodes.
    const manyValues = `{"resourceType":"Patient",${Array.from({ length: 20 }, (_, k) => `"a${k}":[${Array.from({ length: 60_000 }, () => '{}').join(',')}]`).join(',')}}`;
    expectRefused(
      await rawRequest(origin(), { method: 'POST', path: path('/Patient'), headers, body: manyValues }),
      413,
      'json-nodes',
    );
    // Over the offload size (checked in a worker thread)...
    const longArray = `{"resourceType":"Patient","name":[${Array.from({ length: 150_000 }, () => '1').join(',')}]}`;
    expect(longArray.length).toBeGreaterThan(256 * 1024);
    expectRefused(
      await rawRequest(origin(), { method: 'POST', path: path('/Patient'), headers, body: longArray }),
      413,
      'array-length',
    );
    // ...and under it (the main thread's parser enforces the same limits).
    const small = `{"resourceType":"Patient","name":[${Array.from({ length: DEFAULT_LIMITS.arrayLength + 1 }, () => '1').join(',')}]}`;
    expect(small.length).toBeLessThan(256 * 1024);
    expectRefused(
      await rawRequest(origin(), { method: 'POST', path: path('/Patient'), headers, body: small }),
      413,
      'array-length',
    );
    const longString = JSON.stringify({
      resourceType: 'Patient',
      id: 'a'.repeat(DEFAULT_LIMITS.stringLength + 1),
    });
    expectRefused(
      await rawRequest(origin(), { method: 'POST', path: path('/Patient'), headers, body: longString }),
      413,
      'string-length',
    );
    await stillServes();
  });

  it('XML with more elements than json-nodes: 413', async () => {
    const elements = '<a/>'.repeat(DEFAULT_LIMITS.jsonNodes + 1);
    const body = `<Patient xmlns="http://hl7.org/fhir">${elements}</Patient>`;
    const answer = await rawRequest(origin(), {
      method: 'POST',
      path: path('/Patient'),
      headers: { 'content-type': 'application/fhir+xml', accept: 'application/fhir+json' },
      body,
    });
    expectRefused(answer, 413, 'json-nodes');
    await stillServes();
  });

  it('a login body over login-body-bytes: 413 before it is parsed', async () => {
    const answer = await rawRequest(origin(), {
      method: 'POST',
      path: path('/login'),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'a', password: 'p'.repeat(10 * 1024 * 1024) }),
    });
    expectRefused(answer, 413, 'login-body-bytes');
  });
});

describe('a real payload at scale passes every limit', () => {
  it('a batch of 1,000 openIMIS claims (about 3 MB) is processed', async () => {
    const claim = JSON.parse(readFileSync(join(igPaths().generatedResources, 'Claim-Claim001.json'), 'utf8'));
    const entry = Array.from({ length: 1_000 }, (_, i) => ({
      resource: { ...claim, id: `limits-claim-${i}` },
      request: { method: 'PUT', url: `Claim/limits-claim-${i}` },
    }));
    const bundle = { resourceType: 'Bundle', type: 'batch', entry };
    expect(JSON.stringify(bundle).length).toBeGreaterThan(1_000_000);
    const answer = await post(base, bundle);
    expect(answer.status, outcomeText(answer.body)).toBe(200);
    expect(answer.body.type).toBe('batch-response');
    expect(answer.body.entry).toHaveLength(1_000);
  });

  it('a transaction of 1,000 openIMIS patients is stored whole', async () => {
    const entry = Array.from({ length: 1_000 }, (_, i) => ({
      resource: openimisPatient(`L${String(i).padStart(6, '0')}`),
      request: { method: 'POST', url: 'Patient' },
    }));
    const answer = await post(base, { resourceType: 'Bundle', type: 'transaction', entry });
    expect(answer.status, outcomeText(answer.body)).toBe(200);
    expect(
      (answer.body.entry as { response: { status: string } }[]).every((e) =>
        e.response.status.startsWith('201'),
      ),
    ).toBe(true);
  });
});

/** The fastest of a few runs of `work`, in milliseconds. */
function fastest(work: () => void, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * Doubling the input costs at most about twice the time: under 3 (the collector and a busy machine add
 * noise; work that grows with the square of the input shows 4, every time). Measured up to three
 * times, so that one noisy measurement does not fail it.
 */
function expectLinear(make: (size: number) => string, work: (input: string) => void, size: number): void {
  const small = make(size);
  const large = make(size * 2);
  work(large); // warm
  let ratio = Infinity;
  for (let attempt = 0; attempt < 3 && ratio >= 3; attempt++)
    ratio = Math.min(ratio, fastest(() => work(large)) / fastest(() => work(small)));
  expect(ratio).toBeLessThan(3);
}

// Before the measurements below, which hold this process's event loop for seconds: a keep-alive
// connection the server closed meanwhile would be reused, and reset.
describe('searching costs no more than the query', () => {
  it('a search with many parameters, and a search parameter with many values', async () => {
    const timed = async (query: string) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const answer = await call(`${base}/Patient?${query}`);
        best = Math.min(best, performance.now() - started);
        expect(answer.status, answer.text.slice(0, 200)).toBe(200);
      }
      return best;
    };
    const params = (n: number) => Array.from({ length: n }, (_, i) => `name=x${i}`).join('&');
    await timed(params(400));
    expect((await timed(params(400))) / (await timed(params(200)))).toBeLessThan(3);
    const values = (n: number) => `_id=${Array.from({ length: n }, (_, i) => `id${i}`).join(',')}`;
    expect((await timed(values(600))) / (await timed(values(300)))).toBeLessThan(3);
  });
});

describe('reading a request costs no more than its size', () => {
  const limits = { maxDepth: 200, maxNodes: 10_000_000, maxArrayLength: 10_000_000, maxStringLength: 1e9 };

  it('JSON: many values, deep nesting, long strings, many keys', () => {
    const parse = (text: string) => expect(parseJsonSource(text, limits).ok).toBe(true);
    expectLinear((n) => `[${Array.from({ length: n }, () => '{}').join(',')}]`, parse, 100_000);
    expectLinear((n) => `${'['.repeat(190)}${'1,'.repeat(n)}1${']'.repeat(190)}`, parse, 200_000);
    expectLinear((n) => JSON.stringify({ a: 'x'.repeat(n) }), parse, 2_000_000);
    expectLinear((n) => JSON.stringify({ a: '\\u0041\\n'.repeat(n) }), parse, 200_000);
    expectLinear((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`, parse, 50_000);
    // Repeated keys: each repeat is looked up once, not against every earlier key.
    expectLinear((n) => `{${Array.from({ length: n }, () => '"k":1').join(',')}}`, parse, 40_000);
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',');
    expectLinear((n) => `{${keys(n)},${keys(n)}}`, parse, 40_000);
  });

  it('XML elements are counted in one pass', () => {
    const count = (text: string) =>
      expect(xmlSizeProblem(text, { ...DEFAULT_LIMITS, jsonNodes: 1e9 })).toBeUndefined();
    expectLinear(
      (n) => `<Patient xmlns="http://hl7.org/fhir">${'<a v="x>y"/>'.repeat(n)}</Patient>`,
      count,
      200_000,
    );
    expectLinear((n) => `<a>${'<'.repeat(n)}`, count, 200_000);
  });
});
