/**
 * A catalogue of hostile requests for the reliability suite: each must get a 4xx with an
 * OperationOutcome, and none may hurt the server. Fixed cases name one attack each; fast-check
 * generators (sampled with a seed the suite reports) vary them. Bodies are built as text, so keys such
 * as `__proto__` reach the server exactly as an attacker would write them.
 */
import fc from 'fast-check';
import type { RawRequest } from './raw-http.js';

/** A request over HTTP, or bytes written straight to a socket (malformed HTTP). */
export type HostileRequest = { label: string; status?: number } & ({ http: RawRequest } | { socket: string });

export interface HostileContext {
  /** Where the FHIR base is mounted, e.g. '/fhir'. */
  base: string;
  /** An existing Patient that updates, patches and deletes aim at; it must never change. */
  targetId: string;
  /** A Patient the server accepts (valid under strict validation), without id. */
  validPatient: Record<string, unknown>;
  maxBodyBytes: number;
  isResourceType(name: string): boolean;
}

/** A value that reads and searches must never show: it only travels under hostile keys. */
export const POLLUTION_MARK = 'polluted-by-a-hostile-request';
export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const FHIR_JSON = { 'content-type': 'application/fhir+json' };
const FHIR_XML = { 'content-type': 'application/fhir+xml' };
const JSON_PATCH = { 'content-type': 'application/json-patch+json' };
/** A key that `jsonWithKey` turns into a hostile one. */
export const PLACEHOLDER = '__hostile_key_placeholder__';

/** JSON text of `value` in which the placeholder key is spelt `key` (a JS object could not hold it). */
export function jsonWithKey(value: unknown, key: string): string {
  return JSON.stringify(value).replaceAll(`"${PLACEHOLDER}"`, JSON.stringify(key));
}

type Json = Record<string, unknown>;

/** Places `{placeholder: inner}` inside a copy of the patient, at one of several depths. */
const HOSTILE_PLACES: Record<string, (patient: Json, inner: unknown) => Json> = {
  'the resource': (patient, inner) => ({ ...patient, [PLACEHOLDER]: inner }),
  meta: (patient, inner) => ({ ...patient, meta: { [PLACEHOLDER]: inner } }),
  'name[0]': (patient, inner) => ({ ...patient, name: [{ family: 'Hostile', [PLACEHOLDER]: inner }] }),
  'identifier[0].type': (patient, inner) => ({
    ...patient,
    identifier: [{ system: 'urn:x', value: 'v', type: { text: 't', [PLACEHOLDER]: inner } }],
  }),
  'extension[0]': (patient, inner) => ({
    ...patient,
    extension: [{ url: 'urn:x', valueString: 'v', [PLACEHOLDER]: inner }],
  }),
  'contained[0]': (patient, inner) => ({
    ...patient,
    contained: [{ resourceType: 'Organization', id: 'o', name: 'x', [PLACEHOLDER]: inner }],
  }),
};

function nested(depth: number, shape: 'array' | 'object' | 'mixed'): string {
  if (shape === 'array') return '['.repeat(depth) + ']'.repeat(depth);
  if (shape === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const open = Array.from({ length: depth }, (_, i) => (i % 2 ? '{"a":' : '['));
  const close = Array.from({ length: depth }, (_, i) => (i % 2 ? '}' : ']')).reverse();
  return open.join('') + '1' + close.join('');
}

/** Offsets of the `}` and `]` outside strings: a comma before any of them makes the JSON invalid. */
function closerOffsets(text: string): number[] {
  const offsets: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '}' || char === ']') offsets.push(i);
  }
  return offsets;
}

const BILLION_LAUGHS =
  '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' +
  Array.from(
    { length: 9 },
    (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">\n`,
  ).join('') +
  ']>\n<Patient xmlns="http://hl7.org/fhir"><name><family value="&lol9;"/></name></Patient>';

/** The fixed cases: one named attack each. */
export function fixedHostileRequests(context: HostileContext): HostileRequest[] {
  const { base, targetId, validPatient } = context;
  const type = `${base}/Patient`;
  const target = `${type}/${targetId}`;
  const valid = JSON.stringify(validPatient);
  const validTarget = JSON.stringify({ ...validPatient, id: targetId });
  const post = (
    label: string,
    body: string | Buffer,
    headers: Record<string, string> = FHIR_JSON,
    status?: number,
  ) =>
    ({
      label,
      http: { method: 'POST', path: type, headers, body },
      ...(status ? { status } : {}),
    }) as HostileRequest;
  const send = (
    label: string,
    method: string,
    path: string,
    extra: Partial<RawRequest> = {},
    status?: number,
  ) => ({ label, http: { method, path, ...extra }, ...(status ? { status } : {}) }) as HostileRequest;
  const mark = { polluted: POLLUTION_MARK };
  const cases: HostileRequest[] = [];

  // Malformed JSON.
  for (const [what, body] of [
    ['truncated', valid.slice(0, valid.length / 2)],
    ['trailing comma in an object', '{"resourceType":"Patient","active":true,}'],
    ['trailing comma in an array', '{"resourceType":"Patient","name":[{"family":"x"},]}'],
    ['NaN', '{"resourceType":"Patient","multipleBirthInteger":NaN}'],
    ['Infinity', '{"resourceType":"Patient","multipleBirthInteger":Infinity}'],
    ['-Infinity', '{"resourceType":"Patient","multipleBirthInteger":-Infinity}'],
    ['a block comment', '{"resourceType":"Patient" /* hi */}'],
    ['a line comment', '// hi\n{"resourceType":"Patient"}'],
    ['single quotes', "{'resourceType':'Patient'}"],
    ['unquoted keys', '{resourceType:"Patient"}'],
    ['a bad literal', '{"resourceType":"Patient","active":tru}'],
    ['undefined', '{"resourceType":"Patient","active":undefined}'],
    ['two documents', '{"resourceType":"Patient"}{"resourceType":"Patient"}'],
    ['a raw control character', '{"resourceType":"Pat\u0001ient"}'],
    ['a bad escape', '{"resourceType":"Patient","gender":"\\x41"}'],
    ['a hex number', '{"resourceType":"Patient","multipleBirthInteger":0x10}'],
    ['a leading zero', '{"resourceType":"Patient","multipleBirthInteger":007}'],
    ['a lone minus', '-'],
    ['an unterminated string', '{"resourceType":"Patient'],
    ['only whitespace', '   \n\t  '],
  ] as const)
    cases.push(post(`malformed JSON: ${what}`, body, FHIR_JSON, 400));
  cases.push(
    send(
      'malformed JSON: truncated update',
      'PUT',
      target,
      { headers: FHIR_JSON, body: validTarget.slice(0, 40) },
      400,
    ),
  );
  cases.push(
    send(
      'malformed JSON: truncated transaction',
      'POST',
      base,
      { headers: FHIR_JSON, body: '{"resourceType":"Bundle","type":"transaction","entry":[' },
      400,
    ),
  );
  cases.push(
    send(
      'malformed JSON: truncated patch',
      'PATCH',
      target,
      { headers: JSON_PATCH, body: '[{"op":"replace","path":"/active"' },
      400,
    ),
  );

  // Wrong types.
  for (const [what, body] of [
    ['resourceType a number', { ...validPatient, resourceType: 42 }],
    ['resourceType null', { ...validPatient, resourceType: null }],
    ['resourceType an array', { ...validPatient, resourceType: ['Patient'] }],
    ['resourceType an object', { ...validPatient, resourceType: { value: 'Patient' } }],
    ['id an object', { ...validPatient, id: { $ne: 1 } }],
    ['id a number', { ...validPatient, id: 12 }],
    ['active a string', { ...validPatient, active: 'yes' }],
    ['name an object', { ...validPatient, name: { family: 'x' } }],
    ['birthDate a number', { ...validPatient, birthDate: 19700101 }],
    ['gender null', { ...validPatient, gender: null }],
    ['meta.versionId an object', { ...validPatient, meta: { versionId: { a: 1 } } }],
    ['another resource type', { resourceType: 'Observation', status: 'final', code: { text: 'x' } }],
  ] as const)
    cases.push(post(`wrong type: ${what}`, JSON.stringify(body)));
  cases.push(
    send('wrong type: update with id an object', 'PUT', target, {
      headers: FHIR_JSON,
      body: JSON.stringify({ ...validPatient, id: { a: 1 } }),
    }),
  );
  cases.push(
    send('wrong type: patch not an array', 'PATCH', target, {
      headers: JSON_PATCH,
      body: '{"op":"remove","path":"/active"}',
    }),
  );
  cases.push(
    send('wrong type: patch op a number', 'PATCH', target, {
      headers: JSON_PATCH,
      body: '[{"op":1,"path":"/active"}]',
    }),
  );

  // Bodies that are not resources, for a create, an update and the base (batch/transaction).
  for (const body of ['[]', '[{"resourceType":"Patient"}]', '"Patient"', 'null', 'true', '42', '{}', '""']) {
    cases.push(post(`not a resource: ${body}`, body, FHIR_JSON, 400));
    cases.push(send(`not a resource (update): ${body}`, 'PUT', target, { headers: FHIR_JSON, body }, 400));
    cases.push(send(`not a resource (base): ${body}`, 'POST', base, { headers: FHIR_JSON, body }, 400));
  }
  cases.push(post('not a resource: an empty body', ''));
  cases.push(
    send('not a bundle: a Patient to the base', 'POST', base, { headers: FHIR_JSON, body: valid }, 400),
  );
  cases.push(
    send(
      'not a bundle: a searchset to the base',
      'POST',
      base,
      { headers: FHIR_JSON, body: '{"resourceType":"Bundle","type":"searchset"}' },
      400,
    ),
  );
  cases.push(
    send('bundle entries not objects', 'POST', base, {
      headers: FHIR_JSON,
      body: '{"resourceType":"Bundle","type":"batch","entry":[1,"x",null]}',
    }),
  );

  // Huge bodies.
  const huge = (size: number) =>
    `{"resourceType":"Patient","text":{"status":"generated","div":"${'a'.repeat(size)}"}}`;
  cases.push(post('huge body', huge(context.maxBodyBytes * 2), FHIR_JSON, 413));
  cases.push(post('huge body, one byte over', huge(context.maxBodyBytes), FHIR_JSON, 413));
  cases.push({
    label: 'huge body, chunked',
    status: 413,
    http: {
      method: 'POST',
      path: type,
      headers: FHIR_JSON,
      body: huge(context.maxBodyBytes * 2),
      chunked: true,
    },
  });
  cases.push(
    send(
      'huge body, update',
      'PUT',
      target,
      { headers: FHIR_JSON, body: huge(context.maxBodyBytes + 10) },
      413,
    ),
  );
  cases.push(
    send(
      'huge body, transaction',
      'POST',
      base,
      { headers: FHIR_JSON, body: huge(context.maxBodyBytes + 10) },
      413,
    ),
  );
  cases.push(
    post(
      'huge body, XML',
      `<Patient xmlns="http://hl7.org/fhir"><!--${'a'.repeat(context.maxBodyBytes)}--></Patient>`,
      FHIR_XML,
      413,
    ),
  );
  cases.push({
    label: 'huge header',
    status: 431,
    socket: `GET ${base}/metadata HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  });
  cases.push({
    label: 'huge URL',
    status: 431,
    socket: `GET ${type}?name=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  });

  // Deep nesting, 10,000 levels.
  for (const shape of ['array', 'object', 'mixed'] as const) {
    cases.push(post(`deep nesting (${shape}) as the body`, nested(10_000, shape), FHIR_JSON, 400));
    cases.push(
      post(
        `deep nesting (${shape}) in an element`,
        `{"resourceType":"Patient","extension":${nested(10_000, shape)}}`,
        FHIR_JSON,
        400,
      ),
    );
  }
  cases.push(
    send(
      'deep nesting in a transaction entry',
      'POST',
      base,
      {
        headers: FHIR_JSON,
        body: `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":${nested(10_000, 'object')}}]}`,
      },
      400,
    ),
  );
  cases.push(
    send(
      'deep nesting in a patch',
      'PATCH',
      target,
      { headers: JSON_PATCH, body: `[{"op":"add","path":"/extension","value":${nested(10_000, 'array')}}]` },
      400,
    ),
  );
  cases.push(
    post(
      'deep nesting in XML',
      `<Patient xmlns="http://hl7.org/fhir">${'<extension>'.repeat(10_000)}${'</extension>'.repeat(10_000)}</Patient>`,
      FHIR_XML,
      400,
    ),
  );

  // Hostile keys, at several depths, in creates, updates, transactions, patches and queries.
  for (const key of HOSTILE_KEYS) {
    for (const [place, put] of Object.entries(HOSTILE_PLACES)) {
      cases.push(post(`hostile key ${key} in ${place}`, jsonWithKey(put(validPatient, mark), key)));
      cases.push(
        send(`hostile key ${key} in ${place} (update)`, 'PUT', target, {
          headers: FHIR_JSON,
          body: jsonWithKey(put({ ...validPatient, id: targetId }, mark), key),
        }),
      );
    }
    cases.push(
      post(
        `hostile key ${key} holding prototype`,
        jsonWithKey({ ...validPatient, [PLACEHOLDER]: { prototype: mark } }, key),
      ),
    );
    cases.push(
      send(`hostile key ${key} in a transaction entry`, 'POST', base, {
        headers: FHIR_JSON,
        body: jsonWithKey(
          {
            resourceType: 'Bundle',
            type: 'transaction',
            entry: [
              {
                resource: { ...validPatient, [PLACEHOLDER]: mark },
                request: { method: 'POST', url: 'Patient' },
              },
            ],
          },
          key,
        ),
      }),
    );
    // What a hostile key holds must never be read as the object's own data: a request hidden in it
    // would delete the target if it were.
    const hiddenDelete = { request: { method: 'DELETE', url: `Patient/${targetId}` } };
    cases.push(
      send(
        `hostile key ${key} holding an entry's request`,
        'POST',
        base,
        {
          headers: FHIR_JSON,
          body: jsonWithKey(
            { resourceType: 'Bundle', type: 'batch', entry: [{ [PLACEHOLDER]: hiddenDelete }] },
            key,
          ),
        },
        400,
      ),
    );
    cases.push(
      send(
        `hostile key ${key} holding the bundle type`,
        'POST',
        base,
        {
          headers: FHIR_JSON,
          body: jsonWithKey(
            { resourceType: 'Bundle', [PLACEHOLDER]: { type: 'transaction' }, entry: [hiddenDelete] },
            key,
          ),
        },
        400,
      ),
    );
    for (const path of [
      `/${key}/polluted`,
      `/${key}`,
      `/name/0/${key}/polluted`,
      `/constructor/prototype/polluted`,
    ]) {
      cases.push(
        send(`hostile key in a patch path ${path}`, 'PATCH', target, {
          headers: JSON_PATCH,
          body: JSON.stringify([{ op: 'add', path, value: POLLUTION_MARK }]),
        }),
      );
    }
    cases.push(
      send(`hostile key ${key} as a patch from`, 'PATCH', target, {
        headers: JSON_PATCH,
        body: JSON.stringify([{ op: 'copy', from: `/${key}`, path: '/active' }]),
      }),
    );
    cases.push(
      send(
        `hostile key ${key} as a search parameter (strict)`,
        'GET',
        `${type}?${key}=${POLLUTION_MARK}&${key}[polluted]=1`,
        { headers: { prefer: 'handling=strict' } },
        400,
      ),
    );
  }
  cases.push(
    post(
      'hostile key only, holding the resourceType',
      jsonWithKey({ [PLACEHOLDER]: { resourceType: 'Patient' } }, '__proto__'),
      FHIR_JSON,
      400,
    ),
  );
  cases.push(
    send('hostile key as the operation of a patch', 'PATCH', target, {
      headers: JSON_PATCH,
      body: '[{"op":"__proto__","path":"/active","value":true}]',
    }),
  );

  // Invalid ids and path traversal.
  for (const id of ['bad_id', 'a%20b', 'a'.repeat(65), '%00', 'x%2Fy', 'a!b', 'a%3Bb', 'a\\b', '%E2%82%AC'])
    for (const method of ['GET', 'DELETE'])
      cases.push(send(`invalid id '${id}' (${method})`, method, `${type}/${id}`, {}, 400));
  cases.push(send('invalid id in an update', 'PUT', `${type}/bad$id`, { headers: FHIR_JSON, body: valid }));
  cases.push(
    send('invalid id in a patch', 'PATCH', `${type}/bad_id`, { headers: JSON_PATCH, body: '[]' }, 400),
  );
  for (const path of [
    `${base}/../../etc/passwd`,
    `${base}/..%2F..%2Fetc%2Fpasswd`,
    `${base}/%2e%2e/%2e%2e/etc/passwd`,
    `${type}/..%2F..%2F..%2Fetc%2Fpasswd`,
    `${type}/..%5C..%5Cwindows%5Cwin.ini`,
    `${target}/_history/..%2F..%2Fpackage.json`,
    `${base}/..%2F..%2Fpackage.json`,
    `${type}/%252e%252e%252fetc%252fpasswd`,
    `${base}/%zz`,
    `${type}/%zz`,
    `${type}/%`,
  ])
    cases.push(send(`path traversal ${path}`, 'GET', path));

  // Unknown types (and names that only exist on Object.prototype).
  for (const name of [
    'Foo',
    'patient',
    'PATIENT',
    'Patients',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
  ])
    for (const method of ['GET', 'POST', 'DELETE'])
      cases.push(
        send(
          `unknown type ${name} (${method})`,
          method,
          `${base}/${name}${method === 'DELETE' ? '/1' : ''}`,
          method === 'POST' ? { headers: FHIR_JSON, body: JSON.stringify({ resourceType: name }) } : {},
          404,
        ),
      );
  cases.push(send('unknown operation', 'POST', `${type}/$hack`, { headers: FHIR_JSON, body: '{}' }, 404));
  cases.push(send('unknown operation, system level', 'GET', `${base}/$__proto__`, {}, 404));

  // Methods an endpoint does not allow.
  for (const [method, path] of [
    ['PATCH', type],
    ['OPTIONS', type],
    ['TRACE', type],
    ['PROPFIND', type],
    ['DELETE', `${base}/metadata`],
    ['POST', `${base}/metadata`],
    ['PUT', base],
    ['DELETE', base],
    ['POST', `${target}/_history`],
    ['DELETE', `${type}/_history`],
    ['PUT', `${target}/_history/1`],
    ['GET', `${type}/_search`],
    ['PUT', `${type}/_search`],
  ] as const)
    cases.push(send(`method ${method} on ${path}`, method, path, {}, 405));
  for (const method of ['FOO', 'BREW', 'GET\u0000'])
    cases.push({
      label: `unknown method ${JSON.stringify(method)}`,
      socket: `${method} ${type} HTTP/1.1\r\nHost: x\r\n\r\n`,
    });

  // Malformed HTTP (answered by the server's clientError handler).
  for (const [what, bytes] of [
    ['Content-Length not a number', `GET ${type} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`],
    [
      'two Content-Lengths',
      `POST ${type} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    ],
    ['a bad chunk', `POST ${type} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`],
    ['HTTP/9.9', `GET ${type} HTTP/9.9\r\nHost: x\r\n\r\n`],
    ['binary garbage', '\u0000\u0001\u0002garbage\r\n\r\n'],
    ['a header without a colon', `GET ${type} HTTP/1.1\r\nHost x\r\n\r\n`],
    ['no Host', `GET ${base}/metadata HTTP/1.1\r\n\r\n`],
  ] as const)
    cases.push({ label: `malformed HTTP: ${what}`, status: 400, socket: bytes });

  // Bad headers.
  for (const value of [
    'garbage',
    'W/"',
    'W/""',
    '""',
    '"1" garbage',
    'W/"1"x',
    'W/"999"',
    '"1' + '"'.repeat(100),
  ])
    cases.push(
      send(`If-Match ${JSON.stringify(value)}`, 'PUT', target, {
        headers: { ...FHIR_JSON, 'if-match': value },
        body: validTarget,
      }),
    );
  cases.push(send('If-Match on a delete', 'DELETE', target, { headers: { 'if-match': 'W/"999"' } }, 412));
  for (const value of [
    'garbage',
    ';;;,,,===',
    'return=',
    'return=minimal; handling=',
    '\\\\\\"',
    'return=OperationOutcome'.repeat(50),
  ]) {
    cases.push(
      send(
        `Prefer ${JSON.stringify(value.slice(0, 30))} on a missing resource`,
        'GET',
        `${type}/no-such-patient`,
        { headers: { prefer: value } },
        404,
      ),
    );
    cases.push(
      post(
        `Prefer ${JSON.stringify(value.slice(0, 30))} on a bad body`,
        '{',
        { ...FHIR_JSON, prefer: value },
        400,
      ),
    );
  }
  for (const value of [
    'garbage',
    ';;;',
    'text/html',
    'image/png',
    '*/xml',
    'application/fhir+json; fhirVersion=3.0',
    'application/xml+garbage',
    'application/*; q=0',
  ])
    cases.push(
      send(`Accept ${JSON.stringify(value)}`, 'GET', `${base}/metadata`, { headers: { accept: value } }, 406),
    );
  cases.push(send('_format garbage', 'GET', `${base}/metadata?_format=garbage`, {}, 406));

  // Bad query strings.
  for (const query of [
    'name=%zz',
    '%zz=1',
    'name=%',
    'name=%2',
    'name=%%41',
    '_count=-1',
    '_count=abc',
    '_count=1e999',
    '_offset=-5',
    'birthdate=notadate',
    'birthdate=gt2020-13-45',
    '_lastUpdated=yesterday',
  ])
    cases.push(send(`bad query ${query}`, 'GET', `${type}?${query}`, {}, 400));
  cases.push(send('bad query: _since garbage', 'GET', `${base}/_history?_since=garbage`, {}, 400));
  cases.push(
    send(
      'bad query: unknown parameter (strict)',
      'GET',
      `${type}?foo=bar`,
      { headers: { prefer: 'handling=strict' } },
      400,
    ),
  );

  // XML bombs and other hostile XML.
  cases.push(post('XML bomb: billion laughs', BILLION_LAUGHS, FHIR_XML, 400));
  cases.push(
    post(
      'XML bomb: billion laughs, lower-case doctype',
      BILLION_LAUGHS.replace('<!DOCTYPE', '<!doctype'),
      FHIR_XML,
      400,
    ),
  );
  cases.push(
    post(
      'XML bomb: billion laughs behind a comment',
      `<!-- x -->${BILLION_LAUGHS.replace('<?xml version="1.0"?>', '')}`,
      FHIR_XML,
      400,
    ),
  );
  cases.push(
    post(
      'XML: external entity',
      '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Patient xmlns="http://hl7.org/fhir"><name><family value="&xxe;"/></name></Patient>',
      FHIR_XML,
      400,
    ),
  );
  cases.push(
    post(
      'XML: undeclared entity',
      '<Patient xmlns="http://hl7.org/fhir"><name><family value="&lol;"/></name></Patient>',
      FHIR_XML,
      400,
    ),
  );
  cases.push(post('XML: not XML', '{"resourceType":"Patient"}', FHIR_XML, 400));
  cases.push(
    post('XML: wrong namespace', '<Patient xmlns="urn:evil"><active value="true"/></Patient>', FHIR_XML, 400),
  );
  cases.push(post('XML: unclosed', '<Patient xmlns="http://hl7.org/fhir"><active value="true"/>', FHIR_XML));
  cases.push(
    send(
      'XML bomb in a transaction',
      'POST',
      base,
      { headers: FHIR_XML, body: BILLION_LAUGHS.replace('Patient', 'Bundle') },
      400,
    ),
  );

  // Content types the server does not read.
  for (const value of [
    'text/plain',
    'text/html',
    'application/octet-stream',
    'multipart/form-data; boundary=x',
    'garbage',
    'image/png',
    'application/fhir+json; fhirVersion=1.0',
  ])
    cases.push(post(`Content-Type ${value}`, valid, { 'content-type': value }, 415));
  cases.push(
    send(
      'Content-Type text/plain on an update',
      'PUT',
      target,
      { headers: { 'content-type': 'text/plain' }, body: validTarget },
      415,
    ),
  );
  cases.push(
    send('Content-Type form on a create', 'POST', type, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    }),
  );

  // Random bytes.
  const bytes = Buffer.from(Array.from({ length: 2_048 }, (_, i) => (i * 7919 + 13) % 256));
  cases.push(post('random bytes as JSON', bytes, FHIR_JSON, 400));
  cases.push(post('random bytes as XML', bytes, FHIR_XML, 400));
  cases.push(send('random bytes as a patch', 'PATCH', target, { headers: JSON_PATCH, body: bytes }, 400));
  cases.push({ label: 'random bytes instead of HTTP', status: 400, socket: bytes.toString('latin1') });
  return cases;
}

// ------------------------------------------------------------------ generated cases

function parsesAsJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

const PRINTABLE = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
const TOKEN = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/);

/** A value whose JSON kind is not `kind`. */
function notOfKind(kind: 'string' | 'boolean' | 'integer' | 'array' | 'object'): fc.Arbitrary<unknown> {
  const options: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ maxLength: 10 }),
    boolean: fc.boolean(),
    integer: fc.integer(),
    decimal: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    null: fc.constant(null),
    array: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
    object: fc.dictionary(TOKEN, fc.integer(), { maxKeys: 3 }),
  };
  const wrong = Object.entries(options)
    .filter(([name]) => name !== kind)
    .map(([, arbitrary]) => arbitrary);
  return fc.oneof(...wrong);
}

const FIELDS = [
  ['resourceType', 'string'],
  ['id', 'string'],
  ['gender', 'string'],
  ['birthDate', 'string'],
  ['active', 'boolean'],
  ['deceasedBoolean', 'boolean'],
  ['multipleBirthInteger', 'integer'],
  ['name', 'array'],
  ['telecom', 'array'],
  ['identifier', 'array'],
  ['maritalStatus', 'object'],
  ['managingOrganization', 'object'],
] as const;

/**
 * `count` generated hostile requests, an even mix of the generators, reproducible from `seed`. Each
 * generator only makes requests that must fail: what it varies never makes them valid.
 */
export function generatedHostileRequests(
  context: HostileContext,
  count: number,
  seed: number,
): HostileRequest[] {
  const { base, targetId, validPatient } = context;
  const type = `${base}/Patient`;
  const target = `${type}/${targetId}`;
  const valid = JSON.stringify(validPatient);
  const validTarget = JSON.stringify({ ...validPatient, id: targetId });
  const closers = closerOffsets(valid);
  const http = (label: string, request: RawRequest, status?: number): HostileRequest => ({
    label,
    http: request,
    ...(status ? { status } : {}),
  });

  const generators: fc.Arbitrary<HostileRequest>[] = [
    fc
      .integer({ min: 1, max: valid.length - 1 })
      .map((at) =>
        http(
          `generated truncated JSON at ${at}`,
          { method: 'POST', path: type, headers: FHIR_JSON, body: valid.slice(0, at) },
          400,
        ),
      ),
    fc.constantFrom(...closers).map((at) =>
      http(
        `generated trailing comma at ${at}`,
        {
          method: 'POST',
          path: type,
          headers: FHIR_JSON,
          body: `${valid.slice(0, at)},${valid.slice(at)}`,
        },
        400,
      ),
    ),
    fc
      .tuple(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(type, target, base))
      .filter(
        ([value]) =>
          typeof value !== 'object' || value === null || Array.isArray(value) || !('resourceType' in value),
      )
      .map(([value, path]) =>
        http(
          `generated non-resource ${JSON.stringify(value).slice(0, 40)} to ${path}`,
          { method: path === target ? 'PUT' : 'POST', path, headers: FHIR_JSON, body: JSON.stringify(value) },
          400,
        ),
      ),
    fc
      .constantFrom(...FIELDS)
      .chain(([field, kind]) => notOfKind(kind).map((value) => [field, value] as const))
      .map(([field, value]) =>
        http(`generated wrong type ${field}: ${JSON.stringify(value).slice(0, 40)}`, {
          method: 'POST',
          path: type,
          headers: FHIR_JSON,
          body: JSON.stringify({ ...validPatient, [field]: value }),
        }),
      ),
    fc
      .tuple(
        fc.constantFrom(...HOSTILE_KEYS),
        fc.constantFrom(...Object.keys(HOSTILE_PLACES)),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
      )
      .map(([key, place, value, update]) => {
        const put = HOSTILE_PLACES[place] as (patient: Json, inner: unknown) => Json;
        const body = jsonWithKey(put(update ? { ...validPatient, id: targetId } : validPatient, value), key);
        return http(`generated hostile key ${key} in ${place}${update ? ' (update)' : ''}`, {
          method: update ? 'PUT' : 'POST',
          path: update ? target : type,
          headers: FHIR_JSON,
          body,
        });
      }),
    fc
      .tuple(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
        fc.constantFrom('GET', 'DELETE', 'PUT'),
      )
      .filter(([id]) => !/^[A-Za-z0-9\-.]{1,64}$/.test(id) && id !== '_history' && id !== '_search')
      .map(([id, method]) =>
        http(`generated invalid id ${JSON.stringify(id)} (${method})`, {
          method,
          path: `${type}/${encodeURIComponent(id)}`,
          ...(method === 'PUT' ? { headers: FHIR_JSON, body: validTarget } : {}),
        }),
      ),
    fc
      .tuple(
        fc.constantFrom(`${base}/`, `${type}/`, `${target}/_history/`),
        fc.array(fc.constantFrom('..', '%2e%2e', '..%2f', '%2e%2e%2f', '..%5c', '%252e%252e%252f', '.%2e/'), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.constantFrom('etc/passwd', 'package.json', 'windows/win.ini', ''),
      )
      .map(([prefix, steps, file]) => {
        const path = `${prefix}${steps.join('/')}/${file}`;
        return http(`generated traversal ${path}`, { method: 'GET', path });
      }),
    fc
      .tuple(
        fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      )
      .filter(
        ([name]) =>
          !context.isResourceType(name) && !['metadata', 'login', '_history', '_search'].includes(name),
      )
      .map(([name, method]) =>
        http(
          `generated unknown type ${name} (${method})`,
          {
            method,
            path: `${base}/${name}${method === 'GET' || method === 'POST' ? '' : '/1'}`,
            ...(method === 'POST' || method === 'PUT'
              ? { headers: FHIR_JSON, body: JSON.stringify({ resourceType: name, id: '1' }) }
              : {}),
          },
          404,
        ),
      ),
    fc
      .tuple(TOKEN, fc.option(TOKEN, { nil: undefined }), fc.constantFrom('accept', 'content-type'))
      .map(([a, b, header]) => {
        const value = `x-${a}${b === undefined ? '' : `/${b}`}`;
        return header === 'accept'
          ? http(
              `generated Accept ${value}`,
              { method: 'GET', path: `${base}/metadata`, headers: { accept: value } },
              406,
            )
          : http(
              `generated Content-Type ${value}`,
              { method: 'POST', path: type, headers: { 'content-type': value }, body: valid },
              415,
            );
      }),
    fc
      .tuple(
        fc.uint8Array({ minLength: 1, maxLength: 3_000 }),
        fc.constantFrom('json', 'xml', 'patch', 'base'),
      )
      .map(([bytes, where]) => {
        const body = Buffer.from(bytes);
        if (where === 'patch')
          // A few bytes can be well-formed JSON ("6"): then the patch is refused as a document that is
          // not a patch (any 4xx), not as a syntax error (400).
          return http(
            'generated random bytes (patch)',
            { method: 'PATCH', path: target, headers: JSON_PATCH, body },
            parsesAsJson(body) ? undefined : 400,
          );
        const path = where === 'base' ? base : type;
        return http(
          `generated random bytes (${where})`,
          { method: 'POST', path, headers: where === 'xml' ? FHIR_XML : FHIR_JSON, body },
          400,
        );
      }),
    fc
      .tuple(fc.integer({ min: 201, max: 10_000 }), fc.constantFrom('array', 'object', 'mixed'), fc.boolean())
      .map(([depth, shape, inside]) =>
        http(
          `generated nesting ${depth} (${shape})`,
          {
            method: 'POST',
            path: type,
            headers: FHIR_JSON,
            body: inside
              ? `{"resourceType":"Patient","extension":${nested(depth, shape)}}`
              : nested(depth, shape),
          },
          400,
        ),
      ),
    fc
      .tuple(
        fc.stringMatching(/^[a-z]{1,8}$/),
        fc.constantFrom('%', '%z', '%zz', '%g0', '%%', '%1', '%-1', '%G'),
        fc.boolean(),
      )
      .map(([text, escape, inName]) => {
        const query = inName ? `${text}${escape}=1` : `name=${text}${escape}`;
        return http(`generated bad query ${query}`, { method: 'GET', path: `${type}?${query}` }, 400);
      }),
    fc
      .oneof(
        fc.integer({ min: -1_000_000, max: -1 }).map(String),
        fc.integer().map((n) => `${n}.5`),
        fc.stringMatching(/^[a-z]{1,8}$/),
      )
      .map((count) =>
        http(`generated _count=${count}`, { method: 'GET', path: `${type}?_count=${count}` }, 400),
      ),
    fc.tuple(PRINTABLE, fc.boolean()).map(([prefer, missing]) =>
      missing
        ? http(
            `generated Prefer ${JSON.stringify(prefer)} on a missing resource`,
            { method: 'GET', path: `${type}/no-such-patient`, headers: { prefer } },
            404,
          )
        : http(
            `generated Prefer ${JSON.stringify(prefer)} with strict handling`,
            {
              method: 'GET',
              path: `${type}?no-such-parameter=1`,
              headers: { prefer: `${prefer}, handling=strict` },
            },
            400,
          ),
    ),
    PRINTABLE.filter(
      (value) => value.trim() !== '' && value.trim() !== '*' && !/^(W\/)?"?1"?$/.test(value.trim()),
    ).map((ifMatch) =>
      http(`generated If-Match ${JSON.stringify(ifMatch)}`, {
        method: 'PUT',
        path: target,
        headers: { ...FHIR_JSON, 'if-match': ifMatch },
        body: validTarget,
      }),
    ),
  ];
  const perGenerator = Math.ceil(count / generators.length);
  const sampled = generators.flatMap((generator, index) =>
    fc.sample(generator, { numRuns: perGenerator, seed: seed + index }),
  );
  return sampled.slice(0, count);
}
