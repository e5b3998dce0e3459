import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, formatCase, formatText } from '../../harness/oracle/report.js';
import {
  runOracle,
  type DefinitionRegistryLike,
  type ValidatorBinding,
  type ValidatorLike,
} from '../../harness/oracle/run.js';

/** A registry that remembers what it was given, and a validator that answers from a script. */
function fakeBinding(
  answer: (input: string, registry: object[], profiles: string[]) => fhir4.OperationOutcome,
) {
  const calls: { input: string; loaded: object[]; profiles: string[] }[] = [];
  const binding: ValidatorBinding = {
    createRegistry: () => {
      const loaded: object[] = [];
      const registry: DefinitionRegistryLike & { loaded: object[] } = {
        loaded,
        addResource: (resource) => void loaded.push(resource),
        resolve: () => undefined,
      };
      return registry;
    },
    createValidator: (registry): ValidatorLike => ({
      validate: (input, options) => {
        const loaded = (registry as unknown as { loaded: object[] }).loaded;
        const profiles = options?.profiles ?? [];
        calls.push({ input: String(input), loaded, profiles });
        return answer(String(input), loaded, profiles);
      },
    }),
  };
  return { binding, calls };
}

const errorAt = (expression: string): fhir4.OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'invalid', expression: [expression], diagnostics: '[1,2]' }],
});
const noIssues: fhir4.OperationOutcome = { resourceType: 'OperationOutcome', issue: [] };

describe('runOracle on a small folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'oracle-run-'));
    mkdirSync(join(dir, 'validator', 'outcomes'), { recursive: true });
    const put = (file: string, content: unknown) =>
      writeFileSync(join(dir, 'validator', file), `\uFEFF${JSON.stringify(content)}`);
    put('pat.json', { resourceType: 'Patient', id: 'p' });
    put('sd.json', {
      resourceType: 'StructureDefinition',
      url: 'http://x/sd',
      differential: { element: [] },
    });
    put('vs.json', { resourceType: 'ValueSet', url: 'http://x/vs' });
    put('outcomes/pat.json', errorAt('Patient.id'));
    const c = (name: string, more: object) => ({
      name,
      mode: 'base',
      tier: 'A',
      file: 'validator/pat.json',
      profiles: [],
      supporting: [],
      validateAgainst: null,
      outcomeFile: null,
      needsTx: false,
      options: null,
      description: null,
      expectedErrorCount: 0,
      expectedWarningCount: 0,
      ...more,
    });
    writeFileSync(
      join(dir, 'cases.json'),
      JSON.stringify({
        cases: [
          c('valid', {}),
          c('invalid', { outcomeFile: 'validator/outcomes/pat.json', expectedErrorCount: 1 }),
          c('profiled', {
            name: 'profiled#profile',
            mode: 'profile',
            tier: 'B-snapgen',
            supporting: ['validator/vs.json'],
            validateAgainst: 'validator/sd.json',
          }),
          c('options', { tier: 'C', options: { fetcher: 'standalone' } }),
          c('missing-file', { tier: 'B', supporting: ['validator/nowhere.json'] }),
        ],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads definitions and the target profile, and passes the profile url', () => {
    const { binding, calls } = fakeBinding(() => noIssues);
    const result = runOracle(dir, binding, { caseName: 'profiled#profile' });
    if (result instanceof Error) throw result;
    expect(calls).toHaveLength(1);
    expect(calls[0]?.profiles).toEqual(['http://x/sd']);
    expect(calls[0]?.loaded.map((r) => (r as { url: string }).url)).toEqual(['http://x/vs', 'http://x/sd']);
    expect(calls[0]?.input.startsWith('{')).toBe(true); // the byte-order mark is dropped
  });

  it('scores every case and never throws, whatever the validator does', () => {
    const { binding } = fakeBinding((input, _loaded, profiles) => {
      if (profiles.length > 0) throw new Error('snapshot generation failed');
      return input.includes('Patient') ? errorAt('Patient.name') : noIssues;
    });
    const result = runOracle(dir, binding);
    if (result instanceof Error) throw result;
    const report = buildReport(result);
    expect(report.tiers.A).toMatchObject({ runs: 2, tp: 1, fp: 1, exactErrorCount: 1, verdictAgree: 1 });
    expect(report.tiers['B-snapgen']).toMatchObject({ runs: 1, harnessErrors: 1, fn: 0, fp: 1 });
    expect(report.tiers.B).toMatchObject({ runs: 1, harnessErrors: 1 });
    expect(report.tiers.C).toMatchObject({ runs: 0, notScored: 1 });
    expect(report.notScored).toEqual([
      { name: 'options', tier: 'C', reason: expect.stringMatching(/^option fetcher/) },
    ]);
    const names = report.disagreements.map((d) => d.name);
    expect(names).toEqual(['valid', 'invalid', 'profiled#profile', 'missing-file']);
    const invalid = report.disagreements.find((d) => d.name === 'invalid');
    expect(invalid).toMatchObject({
      expectedErrors: 1,
      actualErrors: 1,
      missing: [{ severity: 'error', expression: 'Patient.id' }],
      unexpected: [{ severity: 'error', expression: 'Patient.name' }],
    });
    expect(report.disagreements.find((d) => d.name === 'profiled#profile')?.harnessError).toMatch(
      /validator threw: snapshot generation failed/,
    );
    expect(report.combined['A+B+B-snapgen']).toMatchObject({ runs: 4, harnessErrors: 2 });

    const text = formatText(report);
    expect(text).toContain('Disagreements (4):');
    expect(text).toContain('- error @ Patient.id');
    expect(text).toContain('+ error @ Patient.name');
  });

  it('filters by tier, and shows one case side by side', () => {
    const { binding } = fakeBinding(() => errorAt('Patient.id'));
    const result = runOracle(dir, binding, { tiers: ['A'] });
    if (result instanceof Error) throw result;
    expect(result.results.map((r) => r.testCase.name)).toEqual(['valid', 'invalid']);
    const invalid = result.results[1];
    if (!invalid) throw new Error('no result');
    expect(invalid.score.disagrees).toBe(false);
    const shown = formatCase(invalid, dir);
    expect(shown).toMatch(/error @ Patient\.id\s+error @ Patient\.id/);
    expect(shown).toContain('Patient.id [1,2]');
  });

  it('an unreadable folder is an Error', () => {
    const { binding } = fakeBinding(() => noIssues);
    expect(runOracle(join(dir, 'nowhere'), binding)).toBeInstanceOf(Error);
  });
});
