/**
 * The validator's invalid fixtures: each breaks one thing, and the validator must report it as the HL7
 * validator would (same severity and FHIRPath expression, and the same message id when the fixture
 * names one). An expectation marked `pending` is a known gap of the validator: it is listed as a todo.
 */
import { describe, expect, it } from 'vitest';
import { type ValidationIssue } from '../../harness/validator/index.js';
import {
  applyPatch,
  fixtureInput,
  loadFixtures,
  readBase,
  sharedValidator,
  validateFixture,
  type ExpectedIssue,
} from '../support/validator-fixtures.js';

const fixtures = loadFixtures();
const validator = sharedValidator();

function describeIssue(item: ValidationIssue): string {
  const at = item.location ? ` @${item.location.line}:${item.location.column}` : '';
  return `${item.severity} ${JSON.stringify(item.expression)} ${item.id}${at}: ${item.text}`;
}

function matches(item: ValidationIssue, wanted: ExpectedIssue): boolean {
  return (
    item.severity === wanted.severity &&
    item.expression === wanted.expression &&
    (wanted.id === undefined || item.id === wanted.id) &&
    (wanted.line === undefined || item.location?.line === wanted.line)
  );
}

function describeExpected(wanted: ExpectedIssue): string {
  const line = wanted.line === undefined ? '' : ` on line ${wanted.line}`;
  return `${wanted.severity} at ${JSON.stringify(wanted.expression)}${wanted.id ? ` (${wanted.id})` : ''}${line}`;
}

describe('the validator fixtures', () => {
  it('are many, and each is well formed', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(70);
    for (const { name, fixture } of fixtures) {
      const inputs = [fixture.text, fixture.resource, fixture.base].filter((x) => x !== undefined);
      expect(inputs, name).toHaveLength(1);
      expect(fixture.description.length, name).toBeGreaterThan(10);
      if (!fixture.valid)
        expect(fixture.expect.length, `${name}: a broken fixture expects an issue`).toBeGreaterThan(0);
      if (fixture.patch) expect(fixture.base, `${name}: a patch needs a base`).toBeDefined();
      for (const definition of fixture.definitions ?? [])
        expect(definition, `${name}: a definition is a canonical resource`).toMatchObject({
          resourceType: expect.any(String),
          url: expect.any(String),
        });
      expect(() => fixtureInput(fixture), name).not.toThrow();
    }
  });

  it('are mostly broken copies of the IG examples', () => {
    const fromExamples = fixtures.filter(({ fixture }) => fixture.base !== undefined);
    expect(fromExamples.length * 2).toBeGreaterThanOrEqual(fixtures.length);
  });

  it('start from IG examples that are valid, so each breaks only what it says', () => {
    const bases = [...new Set(fixtures.flatMap(({ fixture }) => (fixture.base ? [fixture.base] : [])))];
    for (const base of bases) {
      const errors = validator
        .validateDetailed(readBase(base))
        .issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')
        .map(describeIssue);
      expect(errors, base).toEqual([]);
    }
  });

  const folders = [...new Set(fixtures.map(({ name }) => name.split('/')[0] ?? ''))];
  for (const folder of folders) {
    describe(folder, () => {
      for (const { name, fixture } of fixtures.filter((f) => f.name.startsWith(`${folder}/`))) {
        const due = fixture.expect.filter((e) => e.pending === undefined);
        const pending = fixture.expect.filter((e) => e.pending !== undefined);
        if (due.length > 0 || fixture.valid) {
          it(`${name}: ${fixture.description}`, () => {
            const issues = validateFixture(fixture);
            const missing = due.filter((wanted) => !issues.some((item) => matches(item, wanted)));
            expect(
              missing.map(describeExpected),
              `reported instead:\n${issues.map(describeIssue).join('\n')}`,
            ).toEqual([]);
            if (fixture.exact) {
              const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
              const expected = due.filter((e) => e.severity === 'error' || e.severity === 'fatal');
              expect(errors.map(describeIssue), `${name}: exactly the expected errors`).toHaveLength(
                expected.length,
              );
            }
            if (fixture.valid) {
              const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
              expect(errors.map(describeIssue), `${name} is a valid twin: no error`).toEqual([]);
            }
          });
        }
        for (const wanted of pending)
          it.todo(`${name}: ${describeExpected(wanted)} (pending: ${wanted.pending ?? ''})`);
      }
    });
  }
});

describe('the fixture patch applier', () => {
  it('adds, replaces and removes by JSON Pointer, on a copy', () => {
    const document = { a: [1, 2], 'b/c': { '~d': 1 } };
    const patched = applyPatch(document, [
      { op: 'add', path: '/a/1', value: 9 },
      { op: 'add', path: '/a/-', value: 3 },
      { op: 'replace', path: '/b~1c/~0d', value: 2 },
      { op: 'remove', path: '/a/0' },
      { op: 'add', path: '/e', value: { f: true } },
    ]);
    expect(patched).toEqual({ a: [9, 2, 3], 'b/c': { '~d': 2 }, e: { f: true } });
    expect(document).toEqual({ a: [1, 2], 'b/c': { '~d': 1 } });
  });

  it('refuses paths that do not exist', () => {
    expect(() => applyPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow();
    expect(() => applyPatch({ a: [] }, [{ op: 'replace', path: '/a/0', value: 1 }])).toThrow();
    expect(() => applyPatch({ a: 1 }, [{ op: 'add', path: '/x/y', value: 1 }])).toThrow();
  });
});
