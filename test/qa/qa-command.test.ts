/**
 * `openimis-fhir qa`: the project's IG has no error; a broken example is reported at its FSH file and
 * line; coverage findings fire when an example is removed; qa.json has its documented shape.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQaCommand } from '../../harness/cli/qa.js';
import type { QaJson } from '../../harness/qa/report.js';
import { PROJECT_ROOT } from '../../harness/paths.js';

const PATIENT_FSH = 'input/fsh/examples/Patient-john-doe.fsh';

/** The 1-based line of the first line of `file` that starts with `start`. */
function lineOf(file: string, start: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.startsWith(start));
  expect(index, `${start} in ${file}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

async function qa(args: string[], dir: string): Promise<{ code: number; report: QaJson; output: string }> {
  const qaJsonFile = join(dir, `qa-${Math.random().toString(36).slice(2)}.json`);
  const outFile = `${qaJsonFile}.out`;
  const code = await runQaCommand([...args, '--qa-json', qaJsonFile, '--out', outFile]);
  return {
    code,
    report: JSON.parse(readFileSync(qaJsonFile, 'utf8')) as QaJson,
    output: readFileSync(outFile, 'utf8'),
  };
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'qa-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('qa on the project IG', () => {
  let run: Awaited<ReturnType<typeof qa>>;
  beforeAll(async () => {
    run = await qa(['--fail-on', 'warning'], scratch);
  });

  // A new warning anywhere in the IG turns CI red here: qa-suppressions.txt lists the intended ones.
  it('reports 0 errors and 0 warnings, and passes --fail-on warning', () => {
    const serious = run.report.issues.filter((i) => i.severity !== 'information' && !i.suppressed);
    expect(serious).toEqual([]);
    expect(run.report.counts).toMatchObject({ errors: 0, warnings: 0 });
    expect(run.code).toBe(0);
  });

  it("reads the IG's own suppressions, each with its reason", () => {
    expect(run.report.counts.suppressed).toBeGreaterThan(0);
    const reasons = new Set(run.report.issues.flatMap((item) => item.suppressed ?? []));
    expect([...reasons].length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(40);
  });

  it('narrows its report like validate: --min-severity and --max-issues, the counts keep everything', async () => {
    expect(run.report.counts.information).toBeGreaterThan(1);
    const warningsUp = await qa(['--min-severity', 'warning'], scratch);
    expect(warningsUp.output).not.toMatch(/:\d+:\d+\s+information\s/);
    expect(warningsUp.output).toMatch(/issues not shown \(--min-severity warning\); counted above/);
    expect(warningsUp.report.counts.information).toBe(run.report.counts.information);
    const one = await qa(['--max-issues', '1'], scratch);
    expect(one.output).toMatch(/By message:/);
    expect(one.output).toMatch(/not shown \(--min-severity information, --max-issues 1\)/);
  });

  it('--suppress takes an id out of the counted issues, with its reason in qa.json', async () => {
    const id = run.report.issues.find((item) => item.suppressed === undefined)?.id as string;
    const suppressed = await qa(['--suppress', id], scratch);
    const total = (counts: QaJson['counts']) => counts.errors + counts.warnings + counts.information;
    expect(suppressed.report.counts.suppressed).toBeGreaterThan(run.report.counts.suppressed);
    expect(total(suppressed.report.counts) + suppressed.report.counts.suppressed).toBe(
      total(run.report.counts) + run.report.counts.suppressed,
    );
  });

  it('validated every example and placed every validator issue in an example file', () => {
    expect(run.report.examples).toBeGreaterThan(20);
    for (const issue of run.report.issues.filter((i) => i.origin === 'validator')) {
      expect(issue.file).toMatch(/^input\/fsh\/examples\/.+\.fsh$/);
      expect(issue.line).toBeGreaterThan(0);
    }
  });

  it('writes qa.json with versions, counts per file, sorted issues and coverage', () => {
    const { report } = run;
    expect(Object.keys(report)).toEqual([
      'date',
      'tool',
      'packages',
      'build',
      'examples',
      'counts',
      'perFile',
      'issues',
      'coverage',
    ]);
    expect(report.tool.name).toBe('openimis-fhir qa');
    expect(report.packages.sushi).toBe('3.21.0');
    expect(report.packages.corePackage).toMatch(/^@medplum\/definitions@/);
    expect(report.packages.ig).toMatch(/^openimis\.fhir\.r4#\d+\.\d+\.\d+/);
    const counted = Object.values(report.perFile).reduce(
      (sum, c) => sum + c.errors + c.warnings + c.information,
      0,
    );
    expect(counted).toBe(report.counts.errors + report.counts.warnings + report.counts.information);
    expect(Object.keys(report.perFile)).toEqual([...Object.keys(report.perFile)].sort());
    const order = report.issues.map((i) => `${i.file}\u0000${String(i.line).padStart(6, '0')}`);
    expect(order).toEqual([...order].sort());
    expect(report.coverage?.profiles.withoutExample).toEqual([]);
    expect(report.coverage?.references.unresolved).toEqual([]);
    expect(report.coverage?.profiles.total).toBeGreaterThan(20);
  });
});

describe('qa on a copy of the IG with a broken example and a missing one', () => {
  let root: string;
  let birthDateLine: number;
  let locationLine: number;
  let run: Awaited<ReturnType<typeof qa>>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'qa-ig-'));
    cpSync(join(PROJECT_ROOT, 'sushi-config.yaml'), join(root, 'sushi-config.yaml'));
    cpSync(join(PROJECT_ROOT, 'input'), join(root, 'input'), { recursive: true });
    const patient = join(root, PATIENT_FSH);
    birthDateLine = lineOf(patient, '* birthDate');
    locationLine = lineOf(patient, '* address[FamilyAddress].extension[location].valueReference');
    // 30 February: SUSHI only checks the date's pattern, the validator checks the calendar.
    writeFileSync(
      patient,
      readFileSync(patient, 'utf8').replace(/^\* birthDate = .*$/m, '* birthDate = "1980-02-30"'),
    );
    // The only Subscription example (its profile loses its example) and the village John Doe lives in.
    rmSync(join(root, 'input/fsh/examples/Subscription-insuree-updates.fsh'));
    rmSync(join(root, 'input/fsh/examples/Location-rachla-village.fsh'));
    run = await qa(['--root', root, '--format', 'github'], scratch);
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('fails with exit code 1', () => {
    expect(run.code).toBe(1);
    expect(run.report.counts.errors).toBeGreaterThan(0);
  });

  it('reports the impossible birth date at the birthDate rule of Patient-john-doe.fsh', () => {
    const found = run.report.issues.filter(
      (i) => i.resource === 'Patient/john-doe' && i.expression === 'Patient.birthDate',
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({
      file: PATIENT_FSH,
      line: birthDateLine,
      severity: 'error',
      mapping: 'rule',
      rulePath: 'birthDate',
    });
    expect(run.output).toContain(`::error file=${PATIENT_FSH},line=${birthDateLine}`);
  });

  it('reports the reference to the removed village at the rule that wrote it', () => {
    const found = run.report.issues.find(
      (i) => i.id === 'QA_REFERENCE_UNRESOLVED' && i.resource === 'Patient/john-doe',
    );
    expect(found).toMatchObject({
      file: PATIENT_FSH,
      line: locationLine,
      severity: 'error',
      // the rule assigned the whole Reference; the issue is about its .reference
      mapping: 'enclosing-rule',
    });
    expect(run.report.coverage?.references.unresolved).toContain('Patient/john-doe: Location/rachla-village');
  });

  it('reports the profile left without an example at its declaration', () => {
    const found = run.report.issues.find((i) => i.id === 'QA_PROFILE_NO_EXAMPLE');
    expect(found?.file).toMatch(/^input\/fsh\/profiles\/.+\.fsh$/);
    expect(found?.line).toBe(lineOf(join(root, found?.file ?? ''), 'Profile:'));
    expect(found?.expression).toMatch(/StructureDefinition\/openimis-subscription$/);
  });

  it('accepts known issues from a baseline and fails only on new ones', async () => {
    const baselineFile = join(scratch, 'baseline.json');
    expect(
      await runQaCommand([
        '--root',
        root,
        '--write-baseline',
        baselineFile,
        '--include-errors',
        '--out',
        join(scratch, 'w.out'),
        '--qa-json',
        join(scratch, 'w.json'),
      ]),
    ).toBe(1);
    const again = await qa(['--root', root, '--baseline', baselineFile], scratch);
    expect(again.code).toBe(0);
    expect(again.report.counts.errors).toBe(0);
    expect(again.report.counts.suppressed).toBeGreaterThan(0);
  });
});

describe('qa usage', () => {
  it('exits 2 on an unknown format or threshold', async () => {
    expect(await runQaCommand(['--format', 'pdf'])).toBe(2);
    expect(await runQaCommand(['--fail-on', 'notice'])).toBe(2);
  });
});
