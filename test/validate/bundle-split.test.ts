/**
 * A large Bundle validated in parts says what the whole Bundle says: the same issues, at the same
 * entries, lines and columns, with references resolved across parts and fullUrl uniqueness checked
 * over all entries; the parts grow linearly with the entries; the command counts entries and does
 * not stop at 10,000 issues.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidateCommand } from '../../harness/cli/validate.js';
import { igPaths, PROJECT_ROOT } from '../../harness/paths.js';
import { bundleLayout } from '../../harness/validate/bundle-layout.js';
import { BundleParts, BundleRun, splits, SPLIT_MIN_BYTES } from '../../harness/validate/bundle-split.js';
import { createValidator, type ValidationIssue } from '../../harness/validator/index.js';

const validator = createValidator({ igs: [igPaths().generatedResources] });
const uuid = (n: number) => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A transaction of `count` entries, pretty-printed (so lines and columns matter): Organizations every
 * 50th entry, Patients pointing at an Organization far away (another part), some at nothing, one
 * fullUrl repeated at both ends, a few broken values.
 */
function transaction(count: number, indent = 2): string {
  const entries = [];
  for (let i = 0; i < count; i++) {
    const resource =
      i % 50 === 0
        ? { resourceType: 'Organization', id: `o${i}`, name: `Org ${i}` }
        : {
            resourceType: 'Patient',
            id: `p${i}`,
            name: [{ family: i % 3 === 0 ? 'Müller-Lüdenscheidt 😀' : 'Doe' }],
            gender: i % 97 === 0 ? 'unknown-gender' : 'female',
            birthDate: i % 89 === 0 ? '1980-02-30' : '1980-02-03',
            managingOrganization: {
              reference:
                i % 31 === 0
                  ? 'urn:uuid:99999999-0000-4000-8000-000000000000'
                  : uuid(((count - 50 - i + count) % count) - (((count - 50 - i + count) % count) % 50)),
            },
            generalPractitioner:
              i % 7 === 0
                ? [{ reference: `Organization/o${((i * 13) % count) - (((i * 13) % count) % 50)}` }]
                : undefined,
          };
    entries.push({
      fullUrl: i === count - 1 ? uuid(0) : uuid(i),
      resource,
      request: { method: 'POST', url: resource.resourceType },
    });
  }
  return JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: entries }, null, indent);
}

const key = (item: ValidationIssue) =>
  `${item.id} | ${item.severity} | ${item.expression} | ${item.location?.line}:${item.location?.column} | ${item.text}`;

function inParts(text: string): string[] {
  const bytes = Buffer.from(text);
  const layout = bundleLayout(bytes);
  if (!layout) throw new Error('not laid out');
  const parts = new BundleParts(bytes, layout);
  const run = new BundleRun('bundle.json', parts);
  const found: ValidationIssue[] = [];
  for (const part of parts.parts()) {
    const { byEntry, bundle } = parts.placeIssues(
      part,
      validator.validateDetailed(part.data.toString('utf8')).issues,
    );
    for (const list of byEntry.values()) found.push(...list);
    run.addBundleIssues(bundle);
  }
  const duplicates = parts.duplicatesBundle();
  if (duplicates) run.addBundleIssues(parts.bdl7(validator.validateDetailed(duplicates).issues));
  return [...found, ...run.bundleIssues()].map(key).sort();
}

describe('a Bundle in parts', () => {
  it('says exactly what the whole Bundle says', () => {
    const text = transaction(1_000);
    const whole = validator.validateDetailed(text).issues.map(key).sort();
    expect(whole.some((line) => line.includes('bdl-7'))).toBe(true);
    expect(whole.some((line) => line.startsWith('REF_BUNDLE_'))).toBe(true);
    expect(whole.length).toBeGreaterThan(50);
    const parts = inParts(text);
    const missing = whole.filter((line) => !parts.includes(line));
    const extra = parts.filter((line) => !whole.includes(line));
    expect({ missing: missing.slice(0, 5), extra: extra.slice(0, 5) }).toEqual({ missing: [], extra: [] });
    expect(parts).toEqual(whole);
  });

  it('the same on one line with characters beyond ASCII: columns in characters, not bytes', () => {
    const text = transaction(300, 0);
    expect(text.includes('\n')).toBe(false);
    const whole = validator.validateDetailed(text).issues.map(key).sort();
    expect(whole.some((line) => /\| 1:\d{5,} \|/.test(line))).toBe(true);
    expect(inParts(text)).toEqual(whole);
  });

  it('lays out strings with escapes, empty entries and odd spacing; refuses what is not a Bundle', () => {
    const text =
      '\n {"resourceType" : "Bundle", "entry" : [ {"fullUrl":"a\\"b","resource":{"resourceType":"Patient","id":"x","meta":{"versionId":"2"}}} ,\n{}, {"resource": {"resourceType":"Basic"}}], "type":"batch"}\n';
    const layout = bundleLayout(Buffer.from(text));
    expect(layout).toMatchObject({ type: 'batch', profiled: false });
    expect(layout?.entries.map((e) => [e.fullUrl, e.resourceType, e.id, e.versionId, e.line])).toEqual([
      ['a"b', 'Patient', 'x', '2', 2],
      [undefined, undefined, undefined, undefined, 3],
      [undefined, 'Basic', undefined, undefined, 3],
    ]);
    expect(text.slice(layout?.entries[1]?.start, layout?.entries[1]?.end)).toBe('{}');
    const laid = (json: string) => bundleLayout(Buffer.from(json));
    expect(laid('{"resourceType":"Patient"}')).toBeUndefined();
    expect(laid('{"resourceType":"Bundle","entry":[{"a":1},]}')).toBeUndefined();
    expect(laid('{"resourceType":"Bundle","entry":[')).toBeUndefined();
  });

  it('columns count characters, as the validator does, not bytes', () => {
    // Two-byte, three-byte and four-byte (a surrogate pair) characters before entries on one line.
    const text = '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"é€😀"},{"fullUrl":"x"}]}';
    const layout = bundleLayout(Buffer.from(text));
    const second = layout?.entries[1];
    expect(second).toMatchObject({ line: 1, column: text.indexOf('{"fullUrl":"x"') + 1, fullUrl: 'x' });
    expect(layout?.entries[0]?.fullUrl).toBe('é€😀');
    expect(layout?.closeColumn).toBe(text.lastIndexOf(']') + 1);
  });

  it('documents, messages and Bundles with a profile of their own are validated whole', () => {
    const big = SPLIT_MIN_BYTES;
    const layout = (type: string, meta = '') =>
      bundleLayout(Buffer.from(`{"resourceType":"Bundle","type":"${type}"${meta},"entry":[{},{}]}`))!;
    expect(splits(layout('collection'), big, [])).toBe(true);
    expect(splits(layout('collection'), big - 1, [])).toBe(false);
    expect(splits(layout('document'), big, [])).toBe(false);
    expect(splits(layout('message'), big, [])).toBe(false);
    expect(splits(layout('collection', ',"meta":{"profile":["x"]}'), big, [])).toBe(false);
    expect(splits(layout('collection'), big, ['http://example.org/p'])).toBe(false);
  });

  it('grows linearly: twice the entries, twice the text in parts and about twice the time', () => {
    const measure = (count: number) => {
      const text = Buffer.from(transaction(count));
      const started = performance.now();
      const layout = bundleLayout(text)!;
      let chars = 0;
      for (const part of new BundleParts(text, layout).parts()) chars += part.data.length;
      return { chars, ms: performance.now() - started };
    };
    measure(2_000);
    const best = (count: number) => {
      const runs = [measure(count), measure(count), measure(count)];
      return { chars: runs[0]!.chars, ms: Math.min(...runs.map((run) => run.ms)) };
    };
    const small = best(10_000);
    const large = best(20_000);
    expect(large.chars / small.chars).toBeGreaterThan(1.8);
    expect(large.chars / small.chars).toBeLessThan(2.2);
    // Quadratic work would take four times as long; the bound leaves room for a busy machine.
    expect(large.ms / small.ms).toBeLessThan(3);
  });
});

describe('validate on a large Bundle', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'bundle-split-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('counts entries, places issues in the file and does not stop at 10,000 issues', async () => {
    const count = 9_000;
    const entries = [];
    for (let i = 0; i < count; i++)
      entries.push({
        fullUrl: uuid(i),
        resource: {
          resourceType: 'Patient',
          id: `p${i}`,
          name: [{ family: `Family${i}`, given: ['Given'] }],
          gender: 'nope',
          birthDate: 'x',
        },
      });
    const text = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: entries }, null, 1);
    expect(text.length).toBeGreaterThan(SPLIT_MIN_BYTES);
    const file = join(scratch, 'big.json');
    writeFileSync(file, text);
    let stdout = '';
    let stderr = '';
    const code = await runValidateCommand([file, '--format', 'json', '--workers', '2', '--no-build'], {
      stdout: { write: (chunk: string) => ((stdout += chunk), true) } as never,
      stderr: { write: (chunk: string) => ((stderr += chunk), true) } as never,
      cwd: PROJECT_ROOT,
      env: {},
    });
    expect(code, stderr).toBe(1);
    const report = JSON.parse(stdout) as {
      summary: { resources: number; byResourceType: Record<string, number>; issues: { error: number } };
      results: { issues: ValidationIssue[] }[];
    };
    expect(report.summary.resources).toBe(count + 1);
    expect(report.summary.byResourceType).toEqual({ Bundle: 1, Patient: count });
    expect(report.summary.issues.error).toBeGreaterThanOrEqual(2 * count);
    const issues = report.results.flatMap((result) => result.issues);
    expect(issues.some((item) => item.id === 'STRUCT_TOO_MANY_ISSUES')).toBe(false);
    const last = issues.filter((item) => item.expression.startsWith(`Bundle.entry[${count - 1}]`));
    expect(last.length).toBeGreaterThan(0);
    // pretty-printed with one space: each entry's gender sits on a line of its own
    let seen = 0;
    const genderLine =
      text.split('\n').findIndex((line) => line.includes('"gender"') && ++seen === count) + 1;
    expect(last.find((item) => item.expression.endsWith('.gender'))?.location?.line).toBe(genderLine);
  }, 120_000);
});
