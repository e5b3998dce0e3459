/**
 * The sync command and its engine, between two real bundled servers on loopback: a registry (validation
 * off: it holds the registry's records as they are) and a target (strict, as openIMIS). Every step: the
 * first run creates the hierarchy with references rewritten to the target's ids and passes validation;
 * a second run writes nothing; changed, added and retired records move and nothing else; an invalid
 * record is logged with its OperationOutcome and not pushed (nor its children); codes and identifiers
 * mapped from a CSV or a ConceptMap; history mode; a registry that fails midway stops the run (exit 3,
 * state kept) and the resumed run finishes without duplicates; the CLI's state, report and usage errors.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../harness/json.js';
import {
  facilityRegistry,
  registryLocation,
  registryTransaction,
} from '../../harness/scenarios/support/registry.js';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { parseCodeMap, runSync } from '../../harness/sync/index.js';
import { runCli } from '../support/cli.js';
import type { FakeServer } from '../support/fake-servers.js';
import { faulty } from '../support/faulty-proxy.js';

const CLI = join(PROJECT_ROOT, 'dist', 'harness', 'cli.js');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies probed freely

async function load(server: RunningServer, resources: JsonObject[]): Promise<void> {
  const answer = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(registryTransaction(resources)),
  });
  expect(answer.status, await answer.clone().text()).toBe(200);
}

async function all(server: RunningServer, type: string): Promise<Json[]> {
  const bundle = (await (await fetch(`${server.url}/${type}?_count=1000`)).json()) as Json;
  return ((bundle.entry ?? []) as Json[]).map((entry) => entry.resource as Json);
}

const codeOf = (resource: Json) =>
  (resource.identifier as Json[]).find((i) => i.type?.coding?.[0]?.code === 'Code')?.value as string;

describe('sync between two bundled servers', () => {
  let registry: RunningServer;
  let target: RunningServer;
  const resources = facilityRegistry({ regions: 1, districtsPerRegion: 2, facilitiesPerDistrict: 2 }, 'T');
  let firstNext = '';
  beforeAll(async () => {
    registry = await startServer({ port: 0, validation: 'off', subscriptions: false });
    target = await startServer({ port: 0, subscriptions: false });
    await load(registry, resources);
  });
  afterAll(async () => {
    await registry?.close();
    await target?.close();
  });

  it('the first run creates the hierarchy, references rewritten to the target ids, parents first', async () => {
    const report = await runSync({ from: { baseUrl: registry.url }, to: { baseUrl: target.url } });
    firstNext = report.nextSince;
    expect(report.completed, report.stopped).toBe(true);
    expect(report.failures).toEqual([]);
    // 1 region, 2 districts, 4 facility sites; their 4 Organizations and 4 Endpoints.
    expect(report.counts).toEqual({ fetched: 15, created: 15, updated: 0, unchanged: 0, failed: 0 });
    const locations = await all(target, 'Location');
    const byCode = new Map(locations.map((l) => [codeOf(l), l]));
    const site = byCode.get('TR0D1F1') as Json;
    const district = byCode.get('TR0D1') as Json;
    expect(site.partOf.reference).toBe(`Location/${district.id as string}`);
    expect(site.managingOrganization).toBeUndefined(); // openIMIS keeps the facility in its Organization
    const organization = (await all(target, 'Organization')).find((o) => codeOf(o) === 'TR0D1F1HF') as Json;
    expect(organization.address[0].extension[0].valueReference.reference).toBe(
      `Location/${district.id as string}`,
    );
    expect(organization.endpoint[0].reference).toMatch(/^Endpoint\//);
  });

  it('a second run since the first writes nothing', async () => {
    const before = (await (await fetch(`${target.url}/_history?_summary=count`)).json()) as Json;
    const report = await runSync({
      from: { baseUrl: registry.url },
      to: { baseUrl: target.url },
      since: firstNext,
    });
    expect(report.completed).toBe(true);
    expect(report.counts.created + report.counts.updated + report.counts.failed).toBe(0);
    const after = (await (await fetch(`${target.url}/_history?_summary=count`)).json()) as Json;
    expect(after.total).toBe(before.total);
  });

  it('changed, added and retired records move, and only they', async () => {
    const since = new Date().toISOString();
    const renamed = {
      ...(resources.find((r) => r.id === 'T-r0-d0') as JsonObject),
      name: 'District renamed',
    };
    const added = registryLocation('T-r0-d9', 'TR0D9', 'District added', 'D', 'T-r0');
    // openIMIS fixes a Location's status to active: a retired site is refused and logged, not pushed.
    const retired = { ...(resources.find((r) => r.id === 'T-r0-d0-f0') as JsonObject), status: 'inactive' };
    await load(registry, [renamed, added, retired]);
    const report = await runSync({ from: { baseUrl: registry.url }, to: { baseUrl: target.url }, since });
    expect(report.counts).toMatchObject({ fetched: 3 + 2, created: 1, updated: 1, failed: 1 });
    expect(report.failures[0]).toMatchObject({ reference: 'Location/T-r0-d0-f0', stage: 'validate' });
    const names = (await all(target, 'Location')).map((l) => l.name as string);
    expect(names).toContain('District renamed');
    expect(names).toContain('District added');
  });

  it('an invalid record is logged with its OperationOutcome, not pushed, and neither are its children', async () => {
    const since = new Date().toISOString();
    const broken = { ...registryLocation('T-bad', 'TBAD', 'Broken', 'X'), physicalType: { text: 'no code' } };
    const child = registryLocation('T-bad-child', 'TBADC', 'Child of broken', 'V', 'T-bad');
    await load(registry, [broken, child]);
    const report = await runSync({ from: { baseUrl: registry.url }, to: { baseUrl: target.url }, since });
    expect(report.completed).toBe(true);
    expect(report.failures.map((f) => [f.reference, f.stage])).toEqual([
      ['Location/T-bad', 'validate'],
      ['Location/T-bad-child', 'resolve'],
    ]);
    expect(report.failures[0]?.outcome.issue?.[0]?.severity).toBe('error');
    expect(
      (await all(target, 'Location')).some((l) => l.name === 'Broken' || l.name === 'Child of broken'),
    ).toBe(false);
  });

  it('maps codes and identifiers from a CSV and from a ConceptMap', async () => {
    const since = new Date().toISOString();
    const national = {
      ...registryLocation('T-nat', 'unused', 'National id only', 'D', 'T-r0'),
      identifier: [{ system: 'urn:mfl:facility-id', value: 'MFL-0042' }],
      physicalType: { coding: [{ system: 'urn:mfl:level', code: 'district' }] },
    };
    await load(registry, [national]);
    const csv = parseCodeMap(
      'source_system,source_code,target_system,target_code\n' +
        'urn:mfl:facility-id,MFL-0042,https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/openimis-identifiers,TNAT42\n' +
        '"urn:mfl:level",district,https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/location-type,D\n',
      'map.csv',
    );
    if (csv instanceof Error) throw csv;
    const report = await runSync({
      from: { baseUrl: registry.url },
      to: { baseUrl: target.url },
      since,
      map: csv,
    });
    expect(report.failures).toEqual([]);
    const mapped = (await all(target, 'Location')).find((l) => l.name === 'National id only') as Json;
    expect(codeOf(mapped)).toBe('TNAT42');
    expect(mapped.physicalType.coding[0].code).toBe('D');
    const conceptMap = parseCodeMap(
      JSON.stringify({
        resourceType: 'ConceptMap',
        group: [
          {
            source: 'urn:mfl:level',
            target: 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/location-type',
            element: [{ code: 'district', target: [{ code: 'D', equivalence: 'equivalent' }] }],
          },
        ],
      }),
      'map.json',
    );
    expect(conceptMap instanceof Error ? conceptMap.message : conceptMap.entries.size).toBe(1);
    expect(parseCodeMap('a,b\n1,2\n', 'bad.csv')).toBeInstanceOf(Error);
  });

  it('history mode fetches every record once, at its newest version', async () => {
    const fresh = await startServer({ port: 0, subscriptions: false });
    try {
      const report = await runSync({
        from: { baseUrl: registry.url },
        to: { baseUrl: fresh.url },
        mode: 'history',
      });
      expect(report.completed, report.stopped).toBe(true);
      let current = 0;
      for (const type of ['Location', 'Organization', 'Endpoint'])
        current += ((await (await fetch(`${registry.url}/${type}?_summary=count`)).json()) as Json)
          .total as number;
      expect(report.counts.fetched).toBe(current);
      expect(report.failures.map((f) => f.reference).sort()).toEqual(
        ['Location/T-bad', 'Location/T-bad-child', 'Location/T-nat', 'Location/T-r0-d0-f0'].sort(),
      );
      const names = (await all(fresh, 'Location')).map((l) => l.name as string);
      expect(names).toContain('District renamed');
      expect(names).not.toContain('District T 0.0');
    } finally {
      await fresh.close();
    }
  });
});

describe('a registry that fails midway, and the resumed run', () => {
  let registry: RunningServer;
  let target: RunningServer;
  let proxy: FakeServer;
  let dir: string;
  let pages = 0;
  beforeAll(async () => {
    registry = await startServer({ port: 0, validation: 'off', subscriptions: false });
    target = await startServer({ port: 0, subscriptions: false });
    await load(
      registry,
      facilityRegistry({ regions: 2, districtsPerRegion: 2, facilitiesPerDistrict: 3 }, 'F'),
    );
    // The registry answers the first page, then fails; its paging links are made to come back through
    // the proxy, as a registry behind a gateway would give them.
    proxy = await faulty(registry, {
      request: (method, path) => {
        if (method === 'GET' && /^\/Location\?/.test(path)) pages++;
        return pages > 1 && method === 'GET'
          ? { status: 503, answer: { resourceType: 'OperationOutcome' } }
          : undefined;
      },
      response: (_method, _path, body) => {
        for (const link of (body.link as { url: string }[] | undefined) ?? [])
          link.url = link.url.replace(registry.url, proxy.url);
        return { body };
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'sync-'));
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with exit 3 after writing part, the state left as it was; the resumed run finishes without duplicates', async () => {
    const state = join(dir, 'state.json');
    writeFileSync(state, JSON.stringify({ lastSync: '2000-01-01T00:00:00Z' }));
    const failed = await runCli([
      'sync',
      '--from',
      proxy.url,
      '--to',
      target.url,
      '--state',
      state,
      '--page-size',
      '10',
    ]);
    expect(failed.code, failed.stderr).toBe(3);
    expect(failed.stderr).toMatch(/answered 503/);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ lastSync: '2000-01-01T00:00:00Z' });
    const report = join(dir, 'report.json');
    const resumed = await runCli([
      'sync',
      '--from',
      registry.url,
      '--to',
      target.url,
      '--state',
      state,
      '--report',
      report,
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    // What the stopped run wrote before it stopped (the Endpoints of the first page) is found unchanged.
    const counts = /sync: fetched 42, created (\d+), updated 0, unchanged (\d+), failed 0/.exec(
      resumed.stdout,
    );
    expect(counts, resumed.stdout).not.toBeNull();
    expect(Number(counts?.[1]) + Number(counts?.[2])).toBe(42);
    expect(Number(counts?.[2])).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(state, 'utf8')).lastSync).not.toBe('2000-01-01T00:00:00Z');
    expect(JSON.parse(readFileSync(report, 'utf8')).completed).toBe(true);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Facility sync');
    const codes = (await all(target, 'Location')).map(codeOf);
    expect(new Set(codes).size).toBe(codes.length);
    const again = await runCli(['sync', '--from', registry.url, '--to', target.url, '--state', state]);
    // Nothing written (what the last second held may be fetched again, and found unchanged).
    expect(again.stdout).toMatch(/created 0, updated 0, unchanged \d+, failed 0/);
  });

  it('a target that does not declare batch is written one record at a time, with the same result', async () => {
    const fresh = await startServer({ port: 0, subscriptions: false });
    const noBatch = await faulty(fresh, {
      response: (method, path, body) => {
        if (method !== 'GET' || !path.startsWith('/metadata')) return undefined;
        for (const rest of (body.rest as { interaction?: { code: string }[] }[] | undefined) ?? [])
          rest.interaction = (rest.interaction ?? []).filter(
            (i) => i.code !== 'batch' && i.code !== 'transaction',
          );
        return { body };
      },
      request: (method, path, body) =>
        method === 'POST' && path === '' && body?.resourceType === 'Bundle'
          ? { status: 400, answer: { resourceType: 'OperationOutcome' } }
          : undefined,
    });
    try {
      const report = await runSync({ from: { baseUrl: registry.url }, to: { baseUrl: noBatch.url } });
      expect(report.completed, report.stopped).toBe(true);
      expect(report.counts).toMatchObject({ fetched: 42, created: 42, failed: 0 });
    } finally {
      await noBatch.close();
      await fresh.close();
    }
  });

  it('--every runs again at the interval, each run from where the last left off, until stopped', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'sync', '--from', registry.url, '--to', target.url, '--every', '1s'],
      {
        cwd: PROJECT_ROOT,
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 2_800));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const runs = stdout.match(/^sync: fetched/gm) ?? [];
    expect(runs.length, stdout).toBeGreaterThanOrEqual(2);
    // The runs after the first start from its lastSync: nothing new is created.
    expect(
      stdout
        .split('\n')
        .filter((line) => line.startsWith('sync: fetched'))
        .slice(1)
        .join('\n'),
    ).toMatch(/created 0/);
  });

  it('usage errors exit 2', async () => {
    for (const args of [
      ['sync', '--to', target.url],
      ['sync', '--from', registry.url, '--to', target.url, '--mode', 'sometimes'],
      ['sync', '--from', registry.url, '--to', target.url, '--since', 'yesterday'],
      ['sync', '--from', registry.url, '--to', target.url, '--every', 'often'],
      ['sync', '--from', registry.url, '--to', target.url, '--map', join(dir, 'missing.csv')],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^openimis-fhir sync: /);
    }
  });
});
