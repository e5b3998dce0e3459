/**
 * Response headers, Prefer and content negotiation over HTTP (http.html#return, #mime-type): Location,
 * ETag and Last-Modified; Prefer return=minimal|representation|OperationOutcome; _format over Accept;
 * JSON and XML (read and written through the `fhir` package) both ways; 406 and 415.
 */
import { Fhir } from 'fhir';
import { describe, expect, it } from 'vitest';
import { call, marker, plainPatient, post, put, type Json, serveForFile } from '../support/http-server.js';

let base: string;
const fhir = new Fhir();

serveForFile({ validation: 'off' }, (url) => (base = url));

async function stored(): Promise<Json> {
  return (await post(`${base}/Patient`, plainPatient(marker('N')))).body;
}

describe('headers of a write', () => {
  it('create: Location of the version, ETag W/"1", Last-Modified as an HTTP date', async () => {
    const answer = await post(`${base}/Patient`, plainPatient(marker('N')));
    const { id, meta } = answer.body;
    expect(answer.headers.get('location')).toBe(`${base}/Patient/${id}/_history/1`);
    expect(answer.headers.get('etag')).toBe('W/"1"');
    const lastModified = answer.headers.get('last-modified') as string;
    expect(lastModified).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(Date.parse(lastModified)).toBe(Math.floor(Date.parse(meta.lastUpdated) / 1000) * 1000);
  });
});

describe('Prefer: return', () => {
  it('minimal: status and headers, no body', async () => {
    const answer = await post(`${base}/Patient`, plainPatient(marker('N')), { prefer: 'return=minimal' });
    expect(answer.status).toBe(201);
    expect(answer.text).toBe('');
    expect(answer.headers.get('location')).toMatch(/\/_history\/1$/);
    expect(answer.headers.get('etag')).toBe('W/"1"');
  });

  it('representation (and no Prefer): the stored resource', async () => {
    for (const headers of [{ prefer: 'return=representation' }, {}] as Record<string, string>[]) {
      const answer = await post(`${base}/Patient`, plainPatient(marker('N')), headers);
      expect(answer.body.resourceType).toBe('Patient');
      expect(answer.body.meta.versionId).toBe('1');
    }
  });

  it('OperationOutcome: an OperationOutcome about the write, on create and update', async () => {
    const created = await post(`${base}/Patient`, plainPatient(marker('N')), {
      prefer: 'return=OperationOutcome',
    });
    expect(created.status).toBe(201);
    expect(created.body.resourceType).toBe('OperationOutcome');
    const id = (created.headers.get('location') as string).split('/').at(-3) as string;
    const updated = await put(
      `${base}/Patient/${id}`,
      { ...plainPatient(marker('N')), id },
      {
        prefer: 'return=OperationOutcome',
      },
    );
    expect(updated.status).toBe(200);
    expect(updated.body.resourceType).toBe('OperationOutcome');
    expect(updated.headers.get('etag')).toBe('W/"2"');
  });
});

describe('response format: _format and Accept', () => {
  it('JSON by default, for application/json, application/fhir+json and */*', async () => {
    const { id } = await stored();
    for (const accept of [undefined, 'application/json', 'application/fhir+json', '*/*']) {
      const answer = await call(`${base}/Patient/${id}`, accept ? { headers: { accept } } : {});
      expect(answer.status, accept).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      expect(answer.body.id).toBe(id);
    }
  });

  it('XML for Accept application/fhir+xml, readable by the fhir package', async () => {
    const { id } = await stored();
    const answer = await call(`${base}/Patient/${id}`, { headers: { accept: 'application/fhir+xml' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/fhir\+xml/);
    expect(answer.text).toMatch(/<Patient xmlns="http:\/\/hl7.org\/fhir">/);
    const parsed = fhir.xmlToObj(answer.text) as Json;
    expect(parsed.id).toBe(id);
    expect(parsed.meta.versionId).toBe('1');
  });

  it('_format wins over Accept, both ways', async () => {
    const { id } = await stored();
    const json = await call(`${base}/Patient/${id}?_format=json`, {
      headers: { accept: 'application/fhir+xml' },
    });
    expect(json.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(json.body.id).toBe(id);
    const xml = await call(`${base}/Patient/${id}?_format=xml`, {
      headers: { accept: 'application/fhir+json' },
    });
    expect(xml.headers.get('content-type')).toMatch(/^application\/fhir\+xml/);
    const viaMime = await call(`${base}/Patient/${id}?_format=${encodeURIComponent('application/fhir+xml')}`);
    expect(viaMime.headers.get('content-type')).toMatch(/^application\/fhir\+xml/);
  });

  it('a search Bundle and an error also come as XML when asked', async () => {
    const bundle = await call(`${base}/Patient?_count=1&_format=xml`);
    expect(bundle.status).toBe(200);
    expect((fhir.xmlToObj(bundle.text) as Json).resourceType).toBe('Bundle');
    const missing = await call(`${base}/Patient/${marker('none')}?_format=xml`);
    expect(missing.status).toBe(404);
    expect((fhir.xmlToObj(missing.text) as Json).resourceType).toBe('OperationOutcome');
  });

  it('406 with a not-supported OperationOutcome for a format it cannot write', async () => {
    const { id } = await stored();
    const requests: { url: string; headers: Record<string, string> }[] = [
      { url: `${base}/Patient/${id}`, headers: { accept: 'text/html' } },
      { url: `${base}/Patient/${id}?_format=text/csv`, headers: {} },
      { url: `${base}/metadata?_format=turtle`, headers: {} },
    ];
    for (const request of requests) {
      const answer = await call(request.url, { headers: request.headers });
      expect(answer.status, request.url).toBe(406);
      expect(answer.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      expect(answer.body.issue[0].code).toBe('not-supported');
    }
  });
});

describe('request format: Content-Type', () => {
  it('accepts an XML body (written by the fhir package) and stores the same resource', async () => {
    const family = marker('Xml');
    const xml = fhir.objToXml(plainPatient(family)) as string;
    const answer = await post(`${base}/Patient`, xml, { 'content-type': 'application/fhir+xml' });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.name[0].family).toBe(family);
  });

  it('accepts application/json and a charset parameter', async () => {
    for (const contentType of ['application/json', 'application/fhir+json; charset=utf-8']) {
      const answer = await post(`${base}/Patient`, plainPatient(marker('N')), {
        'content-type': contentType,
      });
      expect(answer.status, contentType).toBe(201);
    }
  });

  it('415 with an OperationOutcome for a body type it cannot read', async () => {
    for (const contentType of ['text/plain', 'application/pdf', 'multipart/form-data; boundary=x']) {
      const answer = await post(`${base}/Patient`, JSON.stringify(plainPatient('x')), {
        'content-type': contentType,
      });
      expect(answer.status, contentType).toBe(415);
      expect(answer.body.resourceType).toBe('OperationOutcome');
      expect(answer.body.issue[0].code).toBe('not-supported');
    }
  });

  it('malformed XML is 400 with an OperationOutcome', async () => {
    const answer = await post(
      `${base}/Patient`,
      '<Patient xmlns="http://hl7.org/fhir"><gender value="male"',
      {
        'content-type': 'application/fhir+xml',
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });
});
