/**
 * Error paths and safety over HTTP: 404, 400, 405, 413 with OperationOutcomes that say what and where;
 * invalid ids, path traversal, hostile JSON keys, nesting depth and body size; loopback binding; and a
 * server that keeps serving after all of it.
 */
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  call,
  marker,
  outcomeText,
  plainPatient,
  post,
  put,
  type Json,
  serveForFile,
} from '../support/http-server.js';

const MAX_BODY = 64 * 1024;
let base: string;

serveForFile({ validation: 'lenient', limits: { bodyBytes: MAX_BODY } }, (url) => (base = url));

/** A request with the path sent exactly as written (fetch would normalise `..`). */
function raw(path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectOutcome(answer: { status: number; body: Json }, status: number | number[]): void {
  expect(Array.isArray(status) ? status : [status]).toContain(answer.status);
  expect(answer.body?.resourceType).toBe('OperationOutcome');
  expect(answer.body.issue.length).toBeGreaterThan(0);
  expect(answer.body.issue[0].details?.text ?? answer.body.issue[0].diagnostics).toBeTruthy();
}

describe('404', () => {
  it('an unknown resource type, for every method', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const answer = await call(`${base}/NotAType${method === 'GET' ? '' : '/x'}`, {
        method,
        ...(method === 'POST' || method === 'PUT' ? { body: { resourceType: 'NotAType' } } : {}),
      });
      expectOutcome(answer, 404);
      expect(answer.body.issue[0].code).toBe('not-found');
    }
  });

  it('an unknown id, and a path outside the FHIR base', async () => {
    expectOutcome(await call(`${base}/Patient/${marker('none')}`), 404);
    const outside = await call(`${new URL(base).origin}/elsewhere`);
    expectOutcome(outside, 404);
  });
});

describe('400 and 422 for bad input, saying what and where', () => {
  it('broken JSON: 400 and the message says where it broke', async () => {
    const answer = await post(`${base}/Patient`, '{"resourceType": "Patient",\n "gender": }');
    expectOutcome(answer, 400);
    expect(outcomeText(answer.body)).toMatch(/JSON/);
    expect(outcomeText(answer.body)).toMatch(/line|column|position|offset|\d/);
  });

  it('JSON that is not a resource: an array, a string, no resourceType', async () => {
    for (const body of ['[1,2]', '"Patient"', '{"gender":"male"}', 'null']) {
      expectOutcome(await post(`${base}/Patient`, body), 400);
    }
  });

  it('a resource that breaks base R4: 400 or 422 with the element named', async () => {
    const answer = await post(`${base}/Patient`, {
      resourceType: 'Patient',
      gender: 'robot',
      birthDate: 'soon',
    });
    expectOutcome(answer, [400, 422]);
    const expressions = (answer.body.issue as Json[]).flatMap((i) => i.expression ?? []);
    expect(expressions).toEqual(expect.arrayContaining(['Patient.gender', 'Patient.birthDate']));
  });

  it('a search with a malformed parameter value names the parameter', async () => {
    const answer = await call(`${base}/Patient?birthdate=gt1980-13-45`);
    expectOutcome(answer, 400);
    expect(JSON.stringify(answer.body)).toMatch(/birthdate/);
    expectOutcome(await call(`${base}/Patient?_count=-1`), 400);
  });

  it('405 with Allow for a method an endpoint does not take', async () => {
    const answer = await call(`${base}/Patient`, { method: 'PATCH', body: [] });
    expectOutcome(answer, 405);
    expect(answer.headers.get('allow')).toContain('GET');
  });
});

describe('ids and paths', () => {
  it('ids that break the FHIR id rule are refused with 400', async () => {
    const longId = 'a'.repeat(65);
    for (const id of ['a_b', longId, 'a%20b', '%C3%A9t%C3%A9', 'a%00b']) {
      expectOutcome(await call(`${base}/Patient/${id}`), 400);
    }
    const answer = await put(`${base}/Patient/${longId}`, { ...plainPatient('x'), id: longId });
    expectOutcome(answer, 400);
  });

  it('path traversal goes nowhere: encoded or not, it is a 4xx OperationOutcome', async () => {
    const path = new URL(base).pathname;
    for (const attempt of [
      `${path}/Patient/..%2F..%2Fetc`,
      `${path}/Patient/..%2F..%2F..%2Fetc%2Fpasswd`,
      `${path}/..%2F..%2Fetc%2Fpasswd`,
      `${path}/Patient/%2e%2e/%2e%2e/etc/passwd`,
      `${path}/../../etc/passwd`,
      `${path}/Patient/..`,
    ]) {
      const answer = await raw(attempt);
      expect(answer.status, attempt).toBeGreaterThanOrEqual(400);
      expect(answer.status, attempt).toBeLessThan(500);
      expect(JSON.parse(answer.body).resourceType, attempt).toBe('OperationOutcome');
      expect(answer.body).not.toMatch(/root:/);
    }
  });

  it('a path with broken percent-encoding is 400, not a server fault', async () => {
    const path = new URL(base).pathname;
    for (const attempt of [`${path}/Patient/%E0%A4%A`, `${path}/%zz`]) {
      const answer = await raw(attempt);
      expect(answer.status, attempt).toBe(400);
      expect(JSON.parse(answer.body).resourceType).toBe('OperationOutcome');
    }
  });
});

describe('hostile JSON keys', () => {
  it('__proto__ and constructor in a body neither pollute nor crash; the server keeps serving', async () => {
    const body = `{"resourceType":"Patient","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"name":[{"family":"${marker('P')}","__proto__":{"admin":true}}]}`;
    const answer = await post(`${base}/Patient`, body);
    expect(answer.status).toBeGreaterThanOrEqual(200);
    expect(answer.status).toBeLessThan(500);
    expect(({} as Json).polluted).toBeUndefined();
    expect(({} as Json).admin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await call(`${base}/metadata`)).status).toBe(200);
  });

  // An extension nobody defines is still an Extension: what it holds is checked against base R4.
  it('an unknown property inside an unknown extension breaks base R4 (lenient: 400)', async () => {
    for (const key of ['__proto__', 'constructor', 'foo']) {
      const body = `{"resourceType":"Patient","extension":[{"url":"http://example.org/x","valueString":"a","${key}":{"x":1}}]}`;
      expect((await post(`${base}/Patient`, body)).status, key).toBe(400);
    }
  });

  it('hostile keys in search parameters, JSON Patch paths and Bundle entries are harmless', async () => {
    const search = await call(`${base}/Patient?__proto__=1&constructor=2&hasOwnProperty=3`);
    expect(search.status).toBe(200);
    const created = (await post(`${base}/Patient`, plainPatient(marker('P')))).body;
    const patch = await call(`${base}/Patient/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: [{ op: 'add', path: '/__proto__/polluted', value: true }],
    });
    expect(patch.status).toBeGreaterThanOrEqual(400);
    expect(patch.status).toBeLessThan(500);
    const bundle = await post(
      base,
      `{"resourceType":"Bundle","type":"batch","entry":[{"__proto__":{"request":{"method":"DELETE","url":"Patient/${created.id}"}}}]}`,
    );
    expect(bundle.status).toBeLessThan(500);
    expect((await call(`${base}/Patient/${created.id}`)).status).toBe(200);
    expect(({} as Json).polluted).toBeUndefined();
  });
});

describe('bounds', () => {
  it('nesting deeper than the bound is 400 saying so', async () => {
    const depth = 1000;
    const body = `{"resourceType":"Patient","extension":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const answer = await post(`${base}/Patient`, body);
    expectOutcome(answer, 400);
    expect(outcomeText(answer.body)).toMatch(/deep|depth|nest/i);
  });

  it('a body over the size limit is 413, and the server still serves', async () => {
    const padding = 'x'.repeat(MAX_BODY + 1);
    const answer = await post(`${base}/Patient`, {
      ...plainPatient('x'),
      text: { status: 'generated', div: padding },
    });
    expectOutcome(answer, 413);
    expect((await call(`${base}/metadata`)).status).toBe(200);
  });

  it('many hostile requests each get a 4xx, and the server keeps serving', async () => {
    const bodies = [
      '',
      '{',
      '{}',
      '[]',
      'true',
      '{"resourceType":5}',
      '{"resourceType":"Patient","id":{"x":1}}',
      '{"resourceType":"Patient","name":"not an array"}',
      '{"resourceType":"Patient","a":1,"a":2}',
      '\u0000\u0001',
      '{"resourceType":"Patient","birthDate":19800314}',
      '{"resourceType":{"value":"Patient"}}',
    ];
    const answers = await Promise.all(bodies.map((body) => post(`${base}/Patient`, body)));
    for (const [index, answer] of answers.entries()) {
      expect(answer.status, bodies[index]).toBeGreaterThanOrEqual(400);
      expect(answer.status, bodies[index]).toBeLessThan(500);
    }
    expect((await call(`${base}/metadata`)).status).toBe(200);
  });

  it('wrong-typed fields of an update or a Bundle are 400, not a server fault', async () => {
    const { id } = (await post(`${base}/Patient`, plainPatient(marker('W')))).body;
    expectOutcome(await put(`${base}/Patient/${id}`, { ...plainPatient('x'), id: { a: 1 } }), 400);
    expectOutcome(await post(base, { resourceType: 'Bundle', type: { batch: true } }), 400);
    const entry = { resource: { resourceType: ['Patient'] }, request: { method: 'POST', url: 'Patient' } };
    expectOutcome(await post(base, { resourceType: 'Bundle', type: 'transaction', entry: [entry] }), 400);
  });
});

describe('binding', () => {
  it('listens on 127.0.0.1 by default, not on other interfaces', async () => {
    const url = new URL(base);
    expect(url.hostname).toBe('127.0.0.1');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (!external) return; // no other interface on this machine
    const reached = await fetch(`http://${external.address}:${url.port}/fhir/metadata`).then(
      () => true,
      () => false,
    );
    expect(reached).toBe(false);
  });
});
