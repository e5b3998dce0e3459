import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  OPTION_SUPPORT,
  readCases,
  readExpectedOutcome,
  readJsonFile,
  TIERS,
  unscorableReason,
  type OracleCase,
} from '../../harness/oracle/cases.js';
import { errorCount } from '../../harness/oracle/compare.js';
import { HAVE_TEST_CASES, TEST_CASES_DIR } from '../support/hl7-test-cases.js';

if (!HAVE_TEST_CASES)
  console.warn(
    `[oracle] ${TEST_CASES_DIR}/cases.json is absent: the tests on the real test cases are skipped`,
  );

describe.skipIf(!HAVE_TEST_CASES)('the real cases.json', () => {
  const read = HAVE_TEST_CASES ? readCases(TEST_CASES_DIR) : new Error('absent');
  const cases = read instanceof Error ? [] : read.cases;

  it('reads every case', () => {
    expect(read).not.toBeInstanceOf(Error);
    expect(cases.length).toBeGreaterThan(50);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) expect(TIERS).toContain(c.tier);
  });

  it('names files that exist', () => {
    for (const c of cases) {
      const files = [c.file, ...c.definitionFiles, ...(c.validateAgainst ? [c.validateAgainst] : [])];
      if (c.outcomeFile) files.push(c.outcomeFile);
      for (const file of files) expect(existsSync(file), `${c.name}: ${file}`).toBe(true);
    }
  });

  it('profile cases name a StructureDefinition with a url to validate against', () => {
    const profileCases = cases.filter((c) => c.mode === 'profile');
    expect(profileCases.length).toBeGreaterThan(0);
    for (const c of profileCases) {
      expect(c.validateAgainst, c.name).not.toBeNull();
      const profile = readJsonFile(c.validateAgainst ?? '') as { resourceType?: string; url?: unknown };
      expect(profile.resourceType, c.name).toBe('StructureDefinition');
      expect(typeof profile.url, c.name).toBe('string');
    }
  });

  it('the expected outcomes agree with the digest counts', () => {
    for (const c of cases) {
      const outcome = readExpectedOutcome(c);
      expect(outcome, c.name).not.toBeInstanceOf(Error);
      if (outcome instanceof Error) continue;
      expect(errorCount(outcome), c.name).toBe(c.expectedErrorCount);
      const warnings = (outcome.issue ?? []).filter((i) => i.severity === 'warning').length;
      expect(warnings, c.name).toBe(c.expectedWarningCount);
    }
  });

  it('knows every option the cases use', () => {
    for (const c of cases)
      for (const option of Object.keys(c.options))
        expect(OPTION_SUPPORT, `${c.name}: ${option}`).toHaveProperty(option);
  });

  it('scores most cases, and says why it does not score the others', () => {
    const unscored = cases.filter((c) => unscorableReason(c) !== undefined);
    expect(unscored.length).toBeLessThan(cases.length / 4);
    const crumbs = cases.find((c) => Object.keys(c.options).join() === 'crumb-trail');
    if (crumbs) expect(unscorableReason(crumbs)).toBeUndefined();
    for (const c of unscored) expect(unscorableReason(c, { ignoreOptions: true }), c.name).toBeUndefined();
  });
});

describe('reading a cases.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oracle-cases-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (content: unknown) => writeFileSync(join(dir, 'cases.json'), JSON.stringify(content));
  const base = {
    name: 'x',
    mode: 'base',
    tier: 'A',
    file: 'validator/x.json',
    profiles: ['validator/p.json'],
    supporting: ['validator/s.json'],
    validateAgainst: null,
    expectedErrorCount: 1,
    expectedWarningCount: 0,
    outcomeFile: null,
    needsTx: false,
    options: null,
    description: null,
  };

  it('resolves files against the folder and loads profiles before supporting files', () => {
    write({ cases: [base] });
    const read = readCases(dir);
    if (read instanceof Error) throw read;
    const [c] = read.cases as [OracleCase];
    expect(c.file).toBe(join(dir, 'validator/x.json'));
    expect(c.definitionFiles).toEqual([join(dir, 'validator/p.json'), join(dir, 'validator/s.json')]);
    expect(c.options).toEqual({});
    expect(readExpectedOutcome(c)).toEqual({ resourceType: 'OperationOutcome', issue: [] });
  });

  it('returns an Error naming the bad case rather than throwing', () => {
    write({ cases: [base, { ...base, name: 'y', tier: 'Z' }] });
    const read = readCases(dir);
    expect(read).toBeInstanceOf(Error);
    expect((read as Error).message).toMatch(/case 1: y: unknown tier "Z"/);
    expect(readCases(join(dir, 'nowhere'))).toBeInstanceOf(Error);
  });

  it('keeps XML and unsupported options out of the scores, with the reason', () => {
    write({
      cases: [
        { ...base, name: 'xml', file: 'validator/x.xml' },
        { ...base, name: 'fetch', options: { fetcher: 'standalone', 'crumb-trail': true } },
        { ...base, name: 'odd', options: { somethingNew: 1 } },
      ],
    });
    const read = readCases(dir);
    if (read instanceof Error) throw read;
    const [xml, fetch, odd] = read.cases as [OracleCase, OracleCase, OracleCase];
    expect(unscorableReason(xml)).toMatch(/not JSON/);
    expect(unscorableReason(xml, { ignoreOptions: true })).toMatch(/not JSON/);
    expect(unscorableReason(fetch)).toMatch(/^option fetcher: /);
    expect(unscorableReason(fetch, { ignoreOptions: true })).toBeUndefined();
    expect(unscorableReason(odd)).toMatch(/unknown to the oracle/);
  });
});
