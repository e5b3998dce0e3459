/**
 * Bulk load (`serve --load`, harness/load): NDJSON, JSON documents and folders into a real server, each
 * resource checked as a write at the server's validation level (in worker threads or on the main
 * thread), written through the write path (ids, plug-ins, search index, journal), the refused ones
 * reported with file, line and reason. Read back over HTTP.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadResources, type LoadReport } from '../../harness/load/index.js';
import { igPaths } from '../../harness/paths.js';
import type { RunningServer, ServerOptions } from '../../harness/server/server.js';
import { runCli } from '../support/cli.js';
import { call, openimisPatient, plainPatient, serve, type Json } from '../support/http-server.js';
import { startServerProcess } from '../support/raw-http.js';

const folder = mkdtempSync(join(os.tmpdir(), 'openimis-load-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const IGS = [igPaths().generatedResources];
const ndjson = (...lines: (Json | string)[]) =>
  lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';

function write(name: string, text: string): string {
  const path = join(folder, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

async function loaded(
  options: ServerOptions,
  inputs: string[],
  workers = 1,
): Promise<{ server: RunningServer; report: LoadReport }> {
  const server = await serve(options);
  const report = await loadResources(server.fhir, { inputs, igs: IGS, workers });
  if (report instanceof Error) throw report;
  return { server, report };
}

const conformant = (id: string, code: string): Json => ({ ...openimisPatient(code, `Fam${id}`), id });
const igExample = (file: string) =>
  JSON.parse(readFileSync(join(igPaths().generatedResources, file), 'utf8')) as Json;

describe('loading NDJSON under strict validation', () => {
  const file = write(
    'strict/patients.ndjson',
    ndjson(
      conformant('s1', 'S0001'),
      '',
      conformant('s2', 'S0002'),
      { ...plainPatient('Plain'), id: 's3' },
      { ...conformant('s4', 'S0004'), gender: 'nope' },
      '{"resourceType": "Patient", "id": ',
      openimisPatient('S0007', 'NoId'),
    ),
  );

  for (const workers of [1, 2]) {
    it(`stores the conformant ones and says where and why the others were refused (${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      const { server, report } = await loaded({ validation: 'strict' }, [file], workers);
      try {
        expect(report).toMatchObject({ read: 6, loaded: 3, refused: 3, warned: 0 });
        expect(report.problems.map(({ line, status }) => ({ line, status }))).toEqual([
          { line: 4, status: 422 },
          { line: 5, status: 400 },
          { line: 6, status: 400 },
        ]);
        expect(report.problems[0]!.file).toMatch(/patients\.ndjson$/);
        expect(report.problems[1]!.text).toMatch(/Patient\.gender/);
        expect(report.problems[2]!.text).toMatch(/JSON/);
        const read = await call(`${server.url}/Patient/s2`);
        expect(read.status).toBe(200);
        expect(read.body.meta.versionId).toBe('1');
        expect(read.body.identifier).toEqual(conformant('s2', 'S0002').identifier);
        // Indexed as any write is: found by its Code, and the one without an id got one.
        const byCode = await call(`${server.url}/Patient?identifier=S0007`);
        expect(byCode.body.total).toBe(1);
        expect(byCode.body.entry[0].resource.id).toMatch(/^[0-9a-f-]{36}$/);
        const refused = await call(`${server.url}/Patient?_id=s3,s4`);
        expect(refused.body.total).toBe(0);
      } finally {
        await server.close();
      }
    });
  }
});

describe('validation levels', () => {
  const file = write(
    'levels/mixed.ndjson',
    ndjson(
      { ...plainPatient('Plain'), id: 'l1' },
      { ...plainPatient('Bad'), id: 'l2', birthDate: '1990-13-01' },
    ),
  );

  it('lenient: loads what only breaks the profile, with a warning; refuses what breaks R4', async () => {
    const { server, report } = await loaded({ validation: 'lenient' }, [file], 2);
    try {
      expect(report).toMatchObject({ read: 2, loaded: 1, refused: 1, warned: 1 });
      expect(report.problems[0]).toMatchObject({ line: 2, status: 400 });
      expect((await call(`${server.url}/Patient/l1`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('off: loads every resource that parses', async () => {
    const { server, report } = await loaded({ validation: 'off' }, [file]);
    try {
      expect(report).toMatchObject({ read: 2, loaded: 2, refused: 0 });
      expect((await call(`${server.url}/Patient/l2`)).body.birthDate).toBe('1990-13-01');
    } finally {
      await server.close();
    }
  });
});

describe('documents, folders, plug-ins and the journal', () => {
  it('loads a folder: a resource document, NDJSON, and a transaction Bundle processed as if POSTed', async () => {
    write('folder/one.json', JSON.stringify({ ...plainPatient('Doc'), id: 'd1' }));
    write('folder/more/lines.ndjson', ndjson({ ...plainPatient('Line'), id: 'd2' }));
    write(
      'folder/transaction.json',
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:6f1d2c1e-0000-4000-8000-000000000001',
            resource: plainPatient('InBundle'),
            request: { method: 'POST', url: 'Patient' },
          },
        ],
      }),
    );
    const { server, report } = await loaded({ validation: 'lenient' }, [join(folder, 'folder')]);
    try {
      expect(report).toMatchObject({ read: 3, loaded: 3, refused: 0 });
      for (const family of ['Doc', 'Line', 'InBundle'])
        expect((await call(`${server.url}/Patient?family:exact=${family}`)).body.total, family).toBe(1);
      expect((await call(`${server.url}/Bundle`)).body.total).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('checks the entries of a transaction Bundle as the server checks any: strict refuses it whole', async () => {
    const file = write(
      'bundles/transaction.json',
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: openimisPatient('B0001', 'Fits'), request: { method: 'POST', url: 'Patient' } },
          { resource: plainPatient('DoesNotFit'), request: { method: 'POST', url: 'Patient' } },
        ],
      }),
    );
    const { server, report } = await loaded({ validation: 'strict' }, [file]);
    try {
      expect(report).toMatchObject({ read: 1, loaded: 0, refused: 1 });
      expect(report.problems[0]!.status).toBe(422);
      expect((await call(`${server.url}/Patient?family:exact=Fits`)).body.total).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("keeps the server's rules: an Invoice (read-only) and a policy for an unknown product are refused, the rest loads", async () => {
    const { id: _id, ...policy } = igExample('Contract-doe-family-policy.json');
    const invoice = { resourceType: 'Invoice', id: 'i1', status: 'issued' };
    const file = write(
      'plugins/policies.ndjson',
      ndjson({ ...plainPatient('Fine'), id: 'g1' }, policy, invoice, { ...plainPatient('Also'), id: 'g2' }),
    );
    const { server, report } = await loaded({ validation: 'lenient' }, [file]);
    try {
      expect(report).toMatchObject({ read: 4, loaded: 2, refused: 2 });
      expect(report.problems.map((p) => p.line)).toEqual([2, 3]);
      expect(report.problems[0]!.status).toBeGreaterThanOrEqual(400);
      expect(report.problems[0]!.text).toMatch(/InsurancePlan|product/i);
      expect(report.problems[1]!.status).toBe(405);
      expect((await call(`${server.url}/Patient?_id=g1,g2`)).body.total).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('writes to the journal: a restart has every loaded resource', async () => {
    const db = join(folder, 'journal.jsonl');
    const file = write(
      'journal/patients.ndjson',
      ndjson(...Array.from({ length: 2_500 }, (_, i) => ({ ...plainPatient(`J${i}`), id: `j${i}` }))),
    );
    const first = await loaded({ validation: 'lenient', db }, [file]);
    expect(first.report.loaded).toBe(2_500);
    await first.server.close();
    const again = await serve({ db });
    try {
      const found = await call(`${again.url}/Patient?family=J24&_count=100`);
      expect(found.body.total).toBe(111); // J24, J240-J249, J2400-J2499
      expect((await call(`${again.url}/Patient/j2499`)).body.name[0].family).toBe('J2499');
    } finally {
      await again.close();
    }
  });

  it('says which input it cannot find before loading anything', async () => {
    const server = await serve({});
    try {
      const report = await loadResources(server.fhir, { inputs: [join(folder, 'missing.ndjson')], igs: IGS });
      expect(report).toBeInstanceOf(Error);
      expect((report as Error).message).toMatch(/missing\.ndjson: no such file/);
    } finally {
      await server.close();
    }
  });
});

describe('openimis-fhir serve --load', () => {
  it('loads, prints what it did with the first problems, then listens', async () => {
    const file = write('cli/patients.ndjson', ndjson({ ...plainPatient('Cli'), id: 'c1' }, '{broken'));
    const server = await startServerProcess(['--validation', 'lenient', '--load', file, '--workers', '1']);
    try {
      expect(server.stderr()).toMatch(
        /loaded 1 resources in [\d.]+ s \([\d,]+\/s\); 1 refused, 1 with warnings/,
      );
      expect(server.stderr()).toMatch(/patients\.ndjson:2: 400 /);
      expect((await call(`${server.url}/Patient/c1`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.ended;
    }
  });

  it('refuses an input it cannot read, and --workers without --load, as usage errors', async () => {
    const missing = await runCli(['serve', '--port', '0', '--load', join(folder, 'nope.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.ndjson: no such file or folder/);
    const workers = await runCli(['serve', '--port', '0', '--workers', '2']);
    expect(workers.code).toBe(2);
    expect(workers.stderr).toMatch(/--workers goes with --load/);
  });
});
