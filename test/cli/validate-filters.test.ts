/**
 * What a data manager narrows a large validate report with: --min-severity and --max-issues narrow the
 * report while the summary counts everything; --suppress and --suppress-file take issues out of what
 * fails the run, each with a reason; the summary groups issues by message id, errors first, with an
 * example each; an input with no resource is a usage error, not a silent pass.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSuppression, type Suppression } from '../../harness/validate/filters.js';
import { validateInProcess } from '../support/validate-command.js';

let dir: string;
let extract: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openimis-validate-filters-'));
  // 33 Patients without narrative (a dom-6 warning each), 3 of them with a bad gender (two errors each:
  // BIND_REQUIRED_NOT_IN_VS and TX_SYSTEM_UNDETERMINED).
  const lines = [
    ...Array.from({ length: 30 }, (_, i) => JSON.stringify({ resourceType: 'Patient', id: `w${i}` })),
    ...Array.from({ length: 3 }, (_, i) =>
      JSON.stringify({ resourceType: 'Patient', id: `e${i}`, gender: 'robot' }),
    ),
  ];
  extract = join(dir, 'extract.ndjson');
  await writeFile(extract, `${lines.join('\n')}\n`);
});

const run = (...args: string[]) => validateInProcess(['--no-project-ig', ...args]);

/** The report's issue lines (text format): each names the file and line. */
const reportLines = (stdout: string) =>
  stdout.split('\n').filter((line) => /^\s+\S+extract\.ndjson:\d+:\d+/.test(line));

describe('narrowing the report, never the count', () => {
  it('--min-severity error shows the errors only; the summary still counts the 33 warnings', async () => {
    const all = await run(extract);
    const errors = await run(extract, '--min-severity', 'error');
    expect(errors.code).toBe(1);
    expect(reportLines(all.stdout).length).toBe(39);
    expect(reportLines(errors.stdout).length).toBe(6);
    expect(reportLines(errors.stdout).join('\n')).not.toMatch(/warning/);
    expect(errors.stdout).toMatch(/33 warnings/);
    expect(errors.stdout).toMatch(/issues not shown \(--min-severity error\); counted above/);
  });

  it('--max-issues 2 shows two; the summary counts all', async () => {
    const capped = await run(extract, '--max-issues', '2', '--format', 'json');
    const report = JSON.parse(capped.stdout) as { results: { issues: unknown[] }[] };
    const shown = report.results.reduce((sum, result) => sum + result.issues.length, 0);
    expect(shown).toBe(2);
    expect(capped.stderr).toMatch(/not shown/);
    expect(capped.code).toBe(1);
  });

  it('bad values are usage errors', async () => {
    expect((await run(extract, '--min-severity', 'loud')).code).toBe(2);
    expect((await run(extract, '--max-issues', '-1')).code).toBe(2);
  });
});

describe('suppressions', () => {
  const BOTH = ['--suppress', 'BIND_REQUIRED_NOT_IN_VS', '--suppress', 'TX_SYSTEM_UNDETERMINED'];

  it('--suppress ID takes those issues out of what fails the run, said in the summary', async () => {
    expect((await run(extract, '--suppress', 'BIND_REQUIRED_NOT_IN_VS')).code).toBe(1);
    const suppressed = await run(extract, ...BOTH);
    expect(suppressed.code).toBe(0);
    expect(suppressed.stdout).toMatch(/6 suppressed/);
  });

  it('a glob limits a suppression to the files it names', async () => {
    const elsewhere = ['BIND_REQUIRED_NOT_IN_VS', 'TX_SYSTEM_UNDETERMINED'].flatMap((id) => [
      '--suppress',
      `${id}:**/other-*.ndjson`,
    ]);
    expect((await run(extract, ...elsewhere)).code).toBe(1);
    const here = ['BIND_REQUIRED_NOT_IN_VS', 'TX_SYSTEM_UNDETERMINED'].flatMap((id) => [
      '--suppress',
      `${id}:**/extract.ndjson`,
    ]);
    expect((await run(extract, ...here)).code).toBe(0);
  });

  it('a suppression file needs a reason on every line', async () => {
    const good = join(dir, 'good.suppress');
    await writeFile(
      good,
      "# accepted for the 2026 extract\nBIND_REQUIRED_NOT_IN_VS # the registry sends 'robot' for unknown\nTX_SYSTEM_UNDETERMINED # the same codes\n",
    );
    expect((await run(extract, '--suppress-file', good)).code).toBe(0);
    const bad = join(dir, 'bad.suppress');
    await writeFile(bad, 'BIND_REQUIRED_NOT_IN_VS\n');
    const refused = await run(extract, '--suppress-file', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs a reason/);
  });

  it('an invariant id (a URL) keeps its scheme; the glob follows the last colon', () => {
    const url = 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/openimis-patient#oi-1';
    expect(parseSuppression(url, 'r')).toMatchObject({ id: url });
    const withGlob = parseSuppression(`${url}:data/*.ndjson`, 'r');
    expect(withGlob).toMatchObject({ id: url, glob: 'data/*.ndjson' });
    expect((withGlob as Suppression).matches('data/a.ndjson', 'Patient')).toBe(true);
    expect((withGlob as Suppression).matches('data/sub/a.ndjson', 'Patient')).toBe(false);
  });

  it('@EXPRESSION-GLOB narrows a suppression to element paths: * within a step, ** across steps', () => {
    const typed = parseSuppression('BIND_EXTENSIBLE_NOT_IN_VS@*.identifier[*].type', 'r') as Suppression;
    expect(typed).toMatchObject({ id: 'BIND_EXTENSIBLE_NOT_IN_VS', expressionGlob: '*.identifier[*].type' });
    expect(typed.matches('any.json', 'Patient.identifier[0].type')).toBe(true);
    expect(typed.matches('any.json', 'Practitioner.identifier[12].type')).toBe(true);
    expect(typed.matches('any.json', 'Patient.identifier[0].type.coding[0]')).toBe(false);
    expect(typed.matches('any.json', 'Patient.contact[0].identifier[0].type')).toBe(false);
    expect(typed.matches('any.json', 'Patient.maritalStatus')).toBe(false);
    const deep = parseSuppression('X:data/**@Bundle.**.type', 'r') as Suppression;
    expect(deep).toMatchObject({ id: 'X', glob: 'data/**', expressionGlob: 'Bundle.**.type' });
    expect(deep.matches('data/a/b.json', 'Bundle.entry[0].resource.identifier[0].type')).toBe(true);
    expect(deep.matches('other/b.json', 'Bundle.entry[0].resource.type')).toBe(false);
    expect(parseSuppression('X@', 'r')).toBeInstanceOf(Error);
  });
});

describe('the summary groups issues by message id', () => {
  it('errors first, with a count and an example each', async () => {
    const result = await run(extract);
    const grouped = result.stdout.slice(result.stdout.indexOf('By message:'));
    const lines = grouped
      .split('\n')
      .slice(1)
      .filter((line) => /^\s+\d/.test(line));
    expect(lines.slice(0, 2).every((line) => /^\s+3 error/.test(line))).toBe(true);
    expect(lines[2]).toMatch(/^\s+33 warning\s+dom-6|^\s+33 warning/);
    expect(lines[0]).toMatch(/e\.g\. \S+extract\.ndjson:31 Patient\.gender/);
  });
});

describe('inputs with no resource', () => {
  it('an empty NDJSON file is a usage error, not a silent pass', async () => {
    const empty = join(dir, 'empty.ndjson');
    await writeFile(empty, '');
    const result = await run(empty);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/hold no resource/);
  });

  it('inputs none of which is FHIR are a usage error, said after what was found in them', async () => {
    const csv = join(dir, 'members.csv');
    await writeFile(csv, 'code,name\n1,Doe\n');
    const notFhir = join(dir, 'settings.json');
    await writeFile(notFhir, '{"theme": "dark"}');
    const result = await run(csv, notFhir);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/members\.csv:1:1 +fatal +The JSON is not well formed/);
    expect(result.stdout).toMatch(/settings\.json:1:1 +fatal +The resource has no resourceType/);
    expect(result.stderr).toMatch(/no input is a FHIR resource/);
    // Beside a FHIR resource, they are issues of the run (exit 1), not a wrong command.
    const patient = join(dir, 'patient.json');
    await writeFile(patient, '{"resourceType": "Patient"}');
    expect((await run(notFhir, patient)).code).toBe(1);
  });
});
