/**
 * `openimis-fhir validate`: exit codes (in-process and as a child process), stdin, every output format
 * checked by its consumer or schema (JUnit XML parses, SARIF validates against the 2.1.0 schema, the
 * OperationOutcome Bundle validates with our own validator, GitHub commands are escaped), shards that
 * partition the input, and the baseline round trip.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidateCommand } from '../../harness/cli/validate.js';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { escapeData, escapeProperty } from '../../harness/validate/formats/github.js';
import { createValidator } from '../../harness/validator/index.js';
import {
  exampleLine,
  ndjsonLines,
  RESOURCES,
  shown,
  validateChild,
  validateInProcess,
} from '../support/validate-command.js';

let scratch: string;
let clean: string;
let warned: string;
let broken: string;
let invalid: string;
let ndjson: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'openimis-fhir-validate-'));
  await mkdir(join(scratch, 'set', 'nested'), { recursive: true });
  // A Patient with narrative and no identifiers: no warning of any kind under the base type.
  clean = join(scratch, 'set', 'clean.json');
  await writeFile(
    clean,
    JSON.stringify(
      {
        resourceType: 'Patient',
        id: 'clean',
        text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">A patient</div>' },
        gender: 'female',
      },
      null,
      2,
    ),
  );
  warned = join(scratch, 'set', 'warned.json');
  await writeFile(warned, JSON.stringify({ resourceType: 'Patient', id: 'warned' }, null, 2));
  broken = join(scratch, 'set', 'nested', 'broken.json');
  await writeFile(broken, '{"resourceType": "Patient",\n  "gender": }');
  invalid = join(scratch, 'set', 'nested', 'invalid.json');
  await writeFile(
    invalid,
    JSON.stringify({ resourceType: 'Patient', gender: 'x', birthDate: '2025-13-01' }, null, 2),
  );
  ndjson = join(scratch, 'set', 'patients.ndjson');
  await writeFile(ndjson, ndjsonLines(60));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('exit codes', () => {
  it('0 when nothing reaches --fail-on, 1 when something does', async () => {
    expect((await validateInProcess([clean])).code).toBe(0);
    expect((await validateInProcess([warned])).code).toBe(0);
    const strict = await validateInProcess([warned, '--fail-on', 'warning']);
    expect(strict.code, shown(strict)).toBe(1);
    expect((await validateInProcess([invalid])).code).toBe(1);
  });

  it('1 for a file that is not JSON: an input with a fatal issue, at its line and column', async () => {
    const run = await validateInProcess([broken]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/broken\.json:2:13 +fatal +The JSON is not well formed/);
  });

  it('2 for usage errors and inputs that do not exist', async () => {
    expect((await validateInProcess([])).code).toBe(2);
    expect((await validateInProcess([clean, '--format', 'xml'])).code).toBe(2);
    expect((await validateInProcess([clean, '--shard', '3/2'])).code).toBe(2);
    expect((await validateInProcess([clean, '--profile', 'http://example.org/no-such-profile'])).code).toBe(
      2,
    );
    const missing = await validateInProcess([join(scratch, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('the same codes from the built CLI', async () => {
    expect((await validateChild([clean])).code).toBe(0);
    expect((await validateChild([invalid])).code).toBe(1);
    expect((await validateChild([broken])).code).toBe(1);
    expect((await validateChild([join(scratch, 'missing.json')])).code).toBe(2);
    expect((await validateChild(['--bogus', clean])).code).toBe(2);
  });

  it('validates the IG examples against their profiles without errors', async () => {
    const run = await validateInProcess([
      join(RESOURCES, 'Patient-john-doe.json'),
      join(RESOURCES, 'Claim-Claim001.json'),
    ]);
    expect(run.code, shown(run)).toBe(0);
    expect(run.stdout).toContain('2 resources in 2 files (Claim 1, Patient 1)');
  });
});

describe('stdin', () => {
  it('reads one document', async () => {
    const run = await validateInProcess(['-'], { stdin: await readFile(invalid, 'utf8') });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/<stdin>:\d+:\d+ +error/);
  });

  it('reads NDJSON, with line numbers (child process)', async () => {
    const lines = `${JSON.stringify({ resourceType: 'Patient', id: 'a' })}\n${JSON.stringify({ resourceType: 'Patient', gender: 'x' })}\n`;
    const run = await validateChild(['-', '--format', 'json'], { stdin: lines });
    expect(run.code, shown(run)).toBe(1);
    const report = JSON.parse(run.stdout) as {
      results: { file: string; index: number; issues: { severity: string; location?: { line: number } }[] }[];
    };
    expect(report.results.map((r) => [r.file, r.index])).toEqual([
      ['<stdin>', 1],
      ['<stdin>', 2],
    ]);
    const error = report.results[1]?.issues.find((i) => i.severity === 'error');
    expect(error?.location?.line).toBe(2);
  });

  it('tells NDJSON from one document whatever the pieces it arrives in', async () => {
    const lines = [
      JSON.stringify({ resourceType: 'Patient', id: 'a' }),
      '',
      JSON.stringify({ resourceType: 'Patient', id: 'b', name: [{ family: 'Ŝaŭlo' }] }),
    ].join('\r\n');
    const bytes = Buffer.from(`\ufeff${lines}`);
    const pieces = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) =>
      bytes.subarray(i * 3, i * 3 + 3),
    );
    const ndjson = await validateInProcess(['-', '--format', 'json'], { stdinPieces: pieces });
    const results = (run: { stdout: string }) =>
      (JSON.parse(run.stdout) as { results: { file: string; index?: number; issues: unknown[] }[] }).results;
    expect(results(ndjson).map((r) => [r.file, r.index])).toEqual([
      ['<stdin>', 1],
      ['<stdin>', 3],
    ]);
    // A line of other white space after the first is not blank: NDJSON, and that line is no JSON.
    const spaced = await validateInProcess(['-', '--format', 'json'], {
      stdin: `${JSON.stringify({ resourceType: 'Patient', id: 'a' })}\n\u00a0\n`,
    });
    const syntaxError = (issues: unknown[]) =>
      issues.some((item) => (item as { id?: string }).id === 'STRUCT_JSON_SYNTAX');
    expect(results(spaced).map((r) => [r.index, syntaxError(r.issues)])).toEqual([
      [1, false],
      [2, true],
    ]);
    // The same resource pretty-printed, or alone on one line, is one document.
    const pretty = JSON.stringify({ resourceType: 'Patient', id: 'a' }, null, 2);
    for (const text of [pretty, `${JSON.stringify({ resourceType: 'Patient', id: 'a' })}\n\n`]) {
      const run = await validateInProcess(['-', '--format', 'json'], {
        stdinPieces: [...text].map((character) => Buffer.from(character)),
      });
      expect(run.code, shown(run)).toBe(0);
      expect(results(run).map((r) => [r.file, r.index])).toEqual([['<stdin>', undefined]]);
    }
  });
});

describe('a slow reader of stdout', () => {
  it('slows the run down: writes wait for drain, and nothing is lost', async () => {
    const file = join(scratch, 'five-hundred.ndjson');
    await writeFile(file, ndjsonLines(500));
    /** A pipe whose reader is always behind: every write is queued, and drained a moment later. */
    class SlowPipe extends EventEmitter {
      readonly isTTY = false;
      writableNeedDrain = false;
      readonly parts: string[] = [];
      waits = 0;
      write(text: string): boolean {
        this.parts.push(text);
        this.writableNeedDrain = true;
        setTimeout(() => {
          this.writableNeedDrain = false;
          this.emit('drain');
        }, 2);
        return false;
      }
      override once(event: string, listener: () => void): this {
        if (event === 'drain') this.waits++;
        return super.once(event, listener);
      }
    }
    const stdout = new SlowPipe();
    const code = await runValidateCommand([file, '--format', 'json', '--workers', '1'], {
      stdout,
      stderr: { write: () => true },
      stdin: Readable.from(['']),
      cwd: PROJECT_ROOT,
      env: {},
    });
    expect(code).toBe(1);
    expect(stdout.waits).toBeGreaterThan(1);
    expect((JSON.parse(stdout.parts.join('')) as { results: unknown[] }).results).toHaveLength(500);
  });
});

describe('formats', () => {
  it('text: grouped by file, path:line:col, no colour unless asked', async () => {
    const run = await validateInProcess([join(scratch, 'set')]);
    expect(run.stdout).toMatch(/^set\/nested\/invalid\.json$|nested\/invalid\.json\n/m);
    expect(run.stdout).toMatch(
      /invalid\.json:\d+:\d+ +error +.+\(BIND_REQUIRED_NOT_IN_VS @ Patient\.gender\)/,
    );
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stdout).toMatch(/64 resources in 5 files/);
  });

  it('NDJSON issues are placed at the NDJSON line', async () => {
    const run = await validateInProcess([ndjson, '--format', 'json']);
    const report = JSON.parse(run.stdout) as {
      results: { index: number; issues: { id: string; location?: { line: number } }[] }[];
    };
    const seventh = report.results.find((r) => r.index === 7);
    expect(seventh?.issues.find((i) => i.id === 'BIND_REQUIRED_NOT_IN_VS')?.location?.line).toBe(7);
    const fiftieth = report.results.find((r) => r.index === 50);
    expect(fiftieth?.issues[0]).toMatchObject({ id: 'STRUCT_JSON_SYNTAX', location: { line: 50 } });
  });

  it('junit: parses, one testcase per resource, failures at or above --fail-on', async () => {
    const run = await validateInProcess([join(scratch, 'set'), '--format', 'junit']);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const xml = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(run.stdout) as {
      testsuites: {
        tests: string;
        failures: string;
        testsuite: { name: string; testcase: { failure?: unknown }[] }[];
      };
    };
    expect(Number(xml.testsuites.tests)).toBe(64);
    const cases = xml.testsuites.testsuite.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(64);
    // 8 bad genders and 1 cut line in the NDJSON, plus broken.json and invalid.json.
    expect(Number(xml.testsuites.failures)).toBe(11);
    expect(cases.filter((c) => c.failure !== undefined)).toHaveLength(11);
  });

  it('sarif: validates against the SARIF 2.1.0 schema', async () => {
    const run = await validateInProcess([join(scratch, 'set'), '--format', 'sarif']);
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(
      await readFile(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    ) as Record<string, unknown>;
    // The schema is draft-04; ajv 8 reads it once the draft-04 keywords are renamed.
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/'));
    ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
    const validate = ajv.compile(schema);
    const log = JSON.parse(run.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: {
            physicalLocation: { region?: { startLine: number } };
            logicalLocations?: { fullyQualifiedName: string }[];
          }[];
        }[];
      }[];
    };
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const [sarifRun] = log.runs;
    const ruleIds = new Set(sarifRun?.tool.driver.rules.map((r) => r.id));
    expect(sarifRun?.results.every((r) => ruleIds.has(r.ruleId))).toBe(true);
    const gender = sarifRun?.results.find((r) => r.ruleId === 'BIND_REQUIRED_NOT_IN_VS');
    expect(gender?.level).toBe('error');
    expect(gender?.locations[0]?.physicalLocation.region?.startLine).toBeGreaterThan(0);
    expect(gender?.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe('Patient.gender');
  });

  it('outcome: one OperationOutcome for one input, a Bundle of them for several; both valid FHIR', async () => {
    const validator = createValidator();
    const single = JSON.parse(
      (await validateInProcess([invalid, '--format', 'outcome'])).stdout,
    ) as fhir4.OperationOutcome;
    expect(single.resourceType).toBe('OperationOutcome');
    expect(
      validator
        .validateDetailed(single)
        .issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'),
    ).toEqual([]);
    const bundle = JSON.parse(
      (await validateInProcess([join(scratch, 'set'), '--format', 'outcome'])).stdout,
    ) as fhir4.Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(64);
    expect(bundle.entry?.[0]?.fullUrl).toMatch(/^file:\/\/\/.*clean\.json$/);
    expect(bundle.entry?.some((e) => e.fullUrl?.endsWith('patients.ndjson#L7'))).toBe(true);
    expect(
      validator
        .validateDetailed(bundle)
        .issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'),
    ).toEqual([]);
  });

  it('github: workflow commands with file, line and col, escaped', async () => {
    const run = await validateInProcess([invalid, '--format', 'github']);
    expect(run.stdout).toMatch(
      /^::error file=.*invalid\.json,line=\d+,col=\d+,title=BIND_REQUIRED_NOT_IN_VS::/m,
    );
    expect(run.stdout).toMatch(/^::warning file=.*title=http%3A\/\/hl7\.org/m);
    expect(escapeData('100% a\r\nb')).toBe('100%25 a%0D%0Ab');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    // Machine formats keep stdout clean: the summary goes to stderr.
    expect(run.stderr).toContain('1 resource in 1 file');
  });

  it('--out writes the report to a file', async () => {
    const out = join(scratch, 'report.json');
    const run = await validateInProcess([invalid, '--format', 'json', '--out', out]);
    expect(run.stdout).toBe('');
    const report = JSON.parse(await readFile(out, 'utf8')) as { summary: { resources: number } };
    expect(report.summary.resources).toBe(1);
  });
});

describe('--shard', () => {
  it('the shards partition the input: every resource once, none twice', async () => {
    const key = (r: { file: string; index?: number }) => `${r.file}#${r.index ?? ''}`;
    const all = JSON.parse((await validateInProcess([join(scratch, 'set'), '--format', 'json'])).stdout) as {
      results: { file: string; index?: number }[];
    };
    const seen: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const part = JSON.parse(
        (await validateInProcess([join(scratch, 'set'), '--format', 'json', '--shard', `${i}/3`])).stdout,
      ) as { results: { file: string; index?: number }[] };
      expect(part.results.length).toBeGreaterThan(0);
      seen.push(...part.results.map(key));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(all.results.map(key).sort());
  });
});

describe('FHIR XML', () => {
  it("a folder's .xml files are validated, issues at their XML line and column", async () => {
    const folder = join(scratch, 'xml');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'patient.xml'),
      '<Patient xmlns="http://hl7.org/fhir">\n  <id value="p"/>\n  <gender value="nope"/>\n</Patient>\n',
    );
    await writeFile(join(folder, 'notes.txt'), 'not a resource');
    const run = await validateInProcess([folder]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/patient\.xml:3:3 +error +The code nope/);
    expect(run.stdout).toMatch(/1 resource in 1 file \(Patient 1\)/);
  });
});

describe('baselines', () => {
  it('round trip: written from the issues, then only new issues fail', async () => {
    const baseline = join(scratch, 'baseline.json');
    // Errors go into a baseline only when asked: a baseline that swallows errors quietly hides them.
    const refused = await validateInProcess([invalid, broken, '--write-baseline', baseline]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/would accept \d+ errors: fix them, or pass --include-errors/);
    const first = await validateInProcess([
      invalid,
      broken,
      '--write-baseline',
      baseline,
      '--include-errors',
    ]);
    expect(first.code).toBe(1);
    const written = JSON.parse(await readFile(baseline, 'utf8')) as {
      issues: { file: string; id: string; expression: string; reason: string }[];
    };
    expect(written.issues.length).toBeGreaterThan(0);
    expect(written.issues.every((e) => e.reason === 'TODO: justify')).toBe(true);
    expect(
      written.issues.some((e) => e.id === 'BIND_REQUIRED_NOT_IN_VS' && e.expression === 'Patient.gender'),
    ).toBe(true);

    const again = await validateInProcess([invalid, broken, '--baseline', baseline, '--format', 'json']);
    expect(again.code, shown(again)).toBe(0);
    const report = JSON.parse(again.stdout) as { summary: { suppressed: number } };
    expect(report.summary.suppressed).toBe(written.issues.length);

    // A new problem in a baselined file still fails.
    const changed = join(scratch, 'set', 'nested', 'invalid.json');
    const before = await readFile(changed, 'utf8');
    await writeFile(changed, JSON.stringify({ ...JSON.parse(before), active: 'yes' }, null, 2));
    try {
      const fresh = await validateInProcess([invalid, broken, '--baseline', baseline]);
      expect(fresh.code).toBe(1);
      expect(fresh.stdout).toContain('Patient.active');
      expect(fresh.stdout).not.toContain('BIND_REQUIRED_NOT_IN_VS');
    } finally {
      await writeFile(changed, before);
    }
  });

  it('keyed by resource: a moved file, and a Bundle whose entries moved, keep their baseline', async () => {
    const folder = join(scratch, 'moving');
    await mkdir(folder, { recursive: true });
    const patient = { resourceType: 'Patient', id: 'mover', gender: 'x' };
    // Inside a Bundle, an entry's resource is known by its id (the validator names it in the expression).
    const byIdentifier = { resourceType: 'Patient', id: 'second', gender: 'y' };
    const first = join(folder, 'first.json');
    await writeFile(first, JSON.stringify(patient));
    const bundle = join(folder, 'bundle.json');
    const entry = (resource: object) => ({ resource });
    await writeFile(
      bundle,
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [entry(byIdentifier), entry({ ...patient, id: 'inside' })],
      }),
    );
    const baseline = join(folder, 'baseline.json');
    const written = await validateInProcess([
      first,
      bundle,
      '--write-baseline',
      baseline,
      '--include-errors',
    ]);
    expect(written.code).toBe(1);
    const entries = (JSON.parse(await readFile(baseline, 'utf8')) as { issues: Record<string, string>[] })
      .issues;
    expect(
      entries.find((e) => e.resource === 'Patient/mover' && e.expression === 'Patient.gender'),
    ).toBeDefined();
    expect(
      entries.find((e) => e.resource === 'Patient/inside' && e.expression === 'Patient.gender'),
    ).toBeDefined();
    expect(entries.every((e) => e.file === undefined || e.resource === undefined)).toBe(true);

    // The file renamed, the Bundle's entries swapped: every issue still known.
    const moved = join(folder, 'renamed.json');
    await writeFile(moved, JSON.stringify(patient));
    await writeFile(
      bundle,
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [entry({ ...patient, id: 'inside' }), entry(byIdentifier)],
      }),
    );
    const again = await validateInProcess([moved, bundle, '--baseline', baseline]);
    expect(again.code, shown(again)).toBe(0);
    // Another resource with the same problem is new.
    await writeFile(moved, JSON.stringify({ ...patient, id: 'someone-else' }));
    expect((await validateInProcess([moved, '--baseline', baseline])).code).toBe(1);
  });

  it('an identifier stands for a resource without an id', async () => {
    const folder = join(scratch, 'identified');
    await mkdir(folder, { recursive: true });
    const resource = {
      resourceType: 'Patient',
      identifier: [{ system: 'https://example.org/ids', value: '7' }],
      gender: 'x',
    };
    const a = join(folder, 'a.json');
    await writeFile(a, JSON.stringify(resource));
    const baseline = join(folder, 'baseline.json');
    await validateInProcess([a, '--write-baseline', baseline, '--include-errors']);
    const entries = (JSON.parse(await readFile(baseline, 'utf8')) as { issues: Record<string, string>[] })
      .issues;
    expect(entries.some((e) => e.resource === 'Patient?identifier=https://example.org/ids|7')).toBe(true);
    const b = join(folder, 'b.json');
    await writeFile(b, JSON.stringify(resource));
    expect((await validateInProcess([b, '--baseline', baseline])).code).toBe(0);
  });

  it('a baseline that is not one is a usage error', async () => {
    const bad = join(scratch, 'bad-baseline.json');
    await writeFile(bad, '{"issues": [{"file": 1}]}');
    expect((await validateInProcess([invalid, '--baseline', bad])).code).toBe(2);
  });
});

it('example lines used by the bulk tests are valid resources', () => {
  expect(exampleLine('Patient-john-doe.json').resourceType).toBe('Patient');
});
