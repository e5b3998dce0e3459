/**
 * Shared pieces of the HTTP suites (test/server/http-*.test.ts): a server on loopback, a fetch that
 * returns status, headers and the parsed body, and resources to store. Every test makes its own data
 * (a fresh marker in a name or identifier) so tests never depend on each other's order.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { igPaths } from '../../harness/paths.js';
import { startServer, type RunningServer, type ServerOptions } from '../../harness/server/server.js';

export const FHIR_JSON = 'application/fhir+json';
export const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
export const OPENIMIS_IDENTIFIERS = `${IG}/CodeSystem/openimis-identifiers`;
export const TEST_SYSTEM = 'urn:test:http-suite';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test bodies are probed freely

export interface Answer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON when it is JSON; undefined when empty. */
  body: Json;
  text: string;
}

export function serve(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, ...options });
}

/**
 * The server of one test file: started before its tests, closed after them. `onStarted` gets its base
 * URL (and may seed it) before the first test runs.
 */
export function serveForFile(options: ServerOptions, onStarted: (base: string) => unknown): void {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await serve(options);
    await onStarted(server.url);
  });
  afterAll(() => server?.close());
}

/** A request; a plain object body is sent as FHIR JSON unless a content type is given. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | Buffer | undefined;
  if (typeof init.body === 'string' || Buffer.isBuffer(init.body)) body = init.body;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = FHIR_JSON;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: Json = undefined as unknown as Json;
  if (text && /json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text) as Json;
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  call(url, { method: 'POST', body, headers });
export const put = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  call(url, { method: 'PUT', body, headers });
export const del = (url: string, headers: Record<string, string> = {}) =>
  call(url, { method: 'DELETE', headers });

/** A short marker unique to one test, usable in names, ids and identifier values. */
export const marker = (prefix = 'm') => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** A Patient valid against base R4 (not against the IG profile): for lenient and off servers. */
export function plainPatient(family: string, extra: Json = {}): Json {
  return { resourceType: 'Patient', name: [{ family, given: ['Test'] }], gender: 'female', ...extra };
}

/** A Patient with one identifier of the test system. */
export function identifiedPatient(value: string, family = marker('fam')): Json {
  return plainPatient(family, { identifier: [{ system: TEST_SYSTEM, value }] });
}

function igExample(name: string): Json {
  return JSON.parse(readFileSync(join(igPaths().generatedResources, `${name}.json`), 'utf8')) as Json;
}

/**
 * A Patient conforming to openimis-patient, from the IG's john-doe example: without id, with a fresh
 * Code identifier (the IG wants it under 13 characters) and family name so searches find only this
 * one. `claimProfile` keeps meta.profile.
 */
export function openimisPatient(
  code = marker('c').slice(0, 12),
  family = marker('Doe'),
  claimProfile = false,
): Json {
  const { id: _id, meta, ...example } = igExample('Patient-john-doe');
  const identifier = (example.identifier as Json[]).map((item) =>
    item.type?.coding?.[0]?.code === 'Code' ? { ...item, value: code } : item,
  );
  return {
    ...example,
    ...(claimProfile ? { meta } : {}),
    identifier,
    name: [{ ...(example.name as Json[])[0], family }],
  };
}

/** The Coverage example for a beneficiary reference, without id. */
export function openimisCoverage(beneficiary: string): Json {
  const { id: _id, meta: _meta, ...example } = igExample('Coverage-doe-family-coverage');
  return { ...example, beneficiary: { reference: beneficiary }, policyHolder: { reference: beneficiary } };
}

/** The OperationOutcome texts of a body, joined: what an error says. */
export function outcomeText(body: Json | undefined): string {
  return ((body?.issue ?? []) as Json[])
    .map((i) => `${i.details?.text ?? ''} ${i.diagnostics ?? ''}`)
    .join(' | ');
}

/** Asserts nothing but returns the ids of a searchset's match entries. */
export function matchIds(bundle: Json): string[] {
  return ((bundle.entry ?? []) as Json[])
    .filter((e) => e.search?.mode === 'match')
    .map((e) => String(e.resource?.id));
}

/** Waits until the clock has moved on, so lastUpdated values differ. */
export const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs a Patient (by default an IG-conformant one) and returns what the server stored; fails the test otherwise. */
export async function createPatient(base: string, resource: Json = openimisPatient()): Promise<Json> {
  const answer = await post(`${base}/Patient`, resource);
  if (answer.status !== 201) throw new Error(`expected 201, got ${answer.status}: ${answer.text}`);
  return answer.body;
}
