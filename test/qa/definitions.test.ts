/**
 * qa checks the definitions where they are written: an invariant's expression is parsed and the
 * elements it names are looked up on the type it is declared on; a rule whose path SUSHI cannot
 * resolve gets the column of the bad segment and a "did you mean".
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQaCommand } from '../../harness/cli/qa.js';
import type { QaJson } from '../../harness/qa/report.js';
import { checkExpression, type ProfileView } from '../../harness/qa/fhirpath-check.js';
import { closest, editDistance } from '../../harness/qa/suggest.js';
import { PROJECT_ROOT } from '../../harness/paths.js';

const open: ProfileView = { prohibits: () => false, knowsExtension: () => true };

describe('checkExpression', () => {
  const on = (expression: string, path: string, view: ProfileView = open) =>
    checkExpression(expression, { path }, view);

  it('a syntax error: its position inside the expression, no token list', () => {
    const [problem, ...rest] = on('birthDate <= today(', 'Patient');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ kind: 'syntax', line: 1, column: 20 });
    expect(problem?.message).not.toMatch(/expecting/);
    expect(on("name.where(use = 'official'", 'Patient')[0]?.kind).toBe('syntax');
  });

  it('an unknown element at its column, with the nearest name of the type', () => {
    expect(on('gendr.exists()', 'Patient')).toEqual([
      {
        kind: 'unknown-element',
        message: "'gendr' is not an element of Patient; did you mean 'gender'?",
        line: 1,
        column: 1,
      },
    ]);
    const deep = on("identifier.where(system.exists()).valu = 'x'", 'Patient');
    expect(deep).toHaveLength(1);
    expect(deep[0]).toMatchObject({
      column: 35,
      message: expect.stringContaining("of Identifier; did you mean 'value'"),
    });
    // inside a lambda $this is the item: `system` belongs to Identifier, `sytem` does not
    expect(on('identifier.all(sytem.exists())', 'Patient')[0]?.message).toMatch(
      /'sytem' is not an element of Identifier/,
    );
    // backbone elements resolve in place; a name far from every element gets no suggestion
    expect(on('item.productOrService.exists() and item.zzzzzz.exists()', 'Claim')[0]?.message).toBe(
      "'zzzzzz' is not an element of Claim.item",
    );
  });

  it('valid expressions of every shape are quiet', () => {
    const quiet: [string, string][] = [
      ['$this.length() <= 12', 'Patient.identifier.value'],
      ['item.all(productOrService.text.exists()) and total.value = item.unitPrice.value.sum()', 'Claim'],
      ['Patient.name.family.exists() and %resource.id.exists()', 'Patient'],
      ['deceased.ofType(boolean).not() or multipleBirth.exists()', 'Patient'],
      ['value.ofType(Quantity).unit.exists() or value.as(CodeableConcept).coding.exists()', 'Observation'],
      ['entry.resource.ofType(Patient).name.exists() and entry.resource.anything.exists()', 'Bundle'],
      ["extension('http://example.org/x').value.ofType(Reference).reference.exists()", 'Patient'],
      [
        '(identifier | name).exists() and children().whatever.exists() and contained.resolve().foo.empty()',
        'Patient',
      ],
      ['birthDate.empty() or (birthDate > today()).empty() or birthDate <= today()', 'Patient'],
      ['period.start.exists() implies period.end >= period.start', 'Coverage'],
    ];
    for (const [expression, path] of quiet) expect(on(expression, path), expression).toEqual([]);
  });

  it('the profile: an element it prohibits (said once), an extension url nobody defines', () => {
    const view: ProfileView = {
      prohibits: (path) => path === 'Patient.photo',
      knowsExtension: (url) => url === 'http://known/x',
    };
    const found = on(
      "photo.exists() implies photo.title.exists() and extension('http://unknown/y').exists() and extension('http://known/x').exists()",
      'Patient',
      view,
    );
    expect(found.map((problem) => problem.kind)).toEqual(['prohibited-element', 'unknown-extension']);
    expect(found[1]?.column).toBe(49);
  });

  it('a context narrowed to one type by the profile is judged on that type', () => {
    expect(
      checkExpression('reference.exists() and refrence.exists()', {
        path: 'Extension.value[x]',
        type: 'Reference',
      }),
    ).toMatchObject([{ message: "'refrence' is not an element of Reference; did you mean 'reference'?" }]);
  });
});

describe('did you mean', () => {
  it('edit distance counts an adjacent swap as one edit', () => {
    expect(editDistance('gendre', 'gender')).toBe(1);
    expect(editDistance('birthDat', 'birthDate')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });

  it('suggests only names close enough to be a typo; case alone always is', () => {
    expect(closest('Birthdate', ['birthDate', 'gender'])).toBe('birthDate');
    expect(closest('statsu', ['status', 'subject'])).toBe('status');
    expect(closest('foo', ['gender', 'status'])).toBeUndefined();
  });
});

describe('qa on a copy of the IG with broken definitions', () => {
  let root: string;
  let report: QaJson;
  const invariantFile = 'input/fsh/invariants/patient.fsh';
  const profileFile = 'input/fsh/profiles/openimis-patient.fsh';
  const lines = (file: string) => readFileSync(join(root, file), 'utf8').split('\n');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'qa-defs-'));
    for (const part of ['sushi-config.yaml', 'input', 'qa-suppressions.txt'])
      cpSync(join(PROJECT_ROOT, part), join(root, part), { recursive: true });
    const invariants = join(root, invariantFile);
    writeFileSync(
      invariants,
      readFileSync(invariants, 'utf8') +
        '\nInvariant: oi-test-syntax\nDescription: "Broken."\nExpression: "name.exists() and (gender = \'male\'"\nSeverity: #error\n' +
        '\nInvariant: oi-test-path\nDescription: "Misspelt."\nExpression: "name.famly.exists()"\nSeverity: #error\n',
    );
    const profile = join(root, profileFile);
    writeFileSync(
      profile,
      readFileSync(profile, 'utf8').replace(
        '* birthDate 1..1 MS',
        '* birthDate 1..1 MS\n* brithDate MS\n* obeys oi-test-path',
      ),
    );
    const qaJson = join(root, 'qa.json');
    const code = await runQaCommand(['--root', root, '--qa-json', qaJson, '--out', join(root, 'out.txt')]);
    expect(code).toBe(1);
    report = JSON.parse(readFileSync(qaJson, 'utf8')) as QaJson;
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a syntax error at the line and column inside the Invariant, even when no profile uses it', () => {
    const found = report.issues.find((issue) => issue.id === 'QA_INVARIANT_SYNTAX');
    const line = lines(invariantFile).findIndex((text) => text.includes('(gender')) + 1;
    expect(found).toMatchObject({ file: invariantFile, line, severity: 'error' });
    // the end of the text (the closing quote), where the closing parenthesis is missing
    expect(found?.column).toBe((lines(invariantFile)[line - 1] ?? '').lastIndexOf('"') + 1);
  });

  it('an unknown element at its own column, with the suggestion', () => {
    const found = report.issues.find((issue) => issue.id === 'QA_INVARIANT_UNKNOWN_ELEMENT');
    const line = lines(invariantFile).findIndex((text) => text.includes('famly')) + 1;
    expect(found).toMatchObject({
      file: invariantFile,
      line,
      column: (lines(invariantFile)[line - 1]?.indexOf('famly') ?? 0) + 1,
    });
    expect(found?.text).toMatch(/'famly' is not an element of HumanName; did you mean 'family'\?/);
  });

  it("a misspelt rule path: SUSHI's error at the segment, with a did you mean", () => {
    const line = lines(profileFile).findIndex((text) => text.startsWith('* brithDate')) + 1;
    const found = report.issues.find((issue) => issue.file === profileFile && issue.line === line);
    expect(found).toMatchObject({ id: 'QA_SUSHI_ERROR', column: 3 });
    expect(found?.text).toMatch(/did you mean 'birthDate'\?/);
  });
});
