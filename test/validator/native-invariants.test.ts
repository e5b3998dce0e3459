/**
 * Invariants evaluated natively must say what fhirpath.js says. Every constraint of the core package and
 * the IG that the native subset compiles is evaluated both ways, at its own element path:
 * - on every element of its type in every fixture (the IG's examples, this project's validator fixtures,
 *   the shared HL7 cases), and on each such element with one of its elements taken away;
 * - on nodes where each element a presence test names is absent, present, an empty list, null, or
 *   present only through its `_x` companion;
 * - on values chosen for comparisons, dates of each precision, sums and text functions.
 * A native answer is read as a condition, as the validator reads fhirpath.js's; where fhirpath.js fails
 * (an error), the native test must give no answer.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import { elementChild, elementScope } from '../../harness/fhir/element-paths.js';
import { PROJECT_ROOT, fhirCachePaths, igPaths } from '../../harness/paths.js';
import { NATIVE_INVARIANTS } from '../../harness/validator/invariants.js';
import { compileNative } from '../../harness/validator/native-invariants.js';
import { TEST_CASES_DIR } from '../support/hl7-test-cases.js';

interface Case {
  key: string;
  path: string;
  expression: string;
}

function constraintsIn(dir: string): Case[] {
  const cases: Case[] = [];
  for (const file of readdirSync(dir).filter(
    (f) => f.startsWith('StructureDefinition-') && f.endsWith('.json'),
  )) {
    const sd = JSON.parse(readFileSync(join(dir, file), 'utf8')) as fhir4.StructureDefinition;
    for (const element of sd.snapshot?.element ?? [])
      for (const constraint of element.constraint ?? [])
        if (constraint.expression)
          cases.push({ key: constraint.key, path: element.path, expression: constraint.expression });
  }
  return cases;
}

const seen = new Set<string>();
const allCases = [
  ...constraintsIn(join(fhirCachePaths().packages, 'hl7.fhir.r4.core#4.0.1', 'package')),
  ...constraintsIn(igPaths().generatedResources),
].filter((c) => {
  // An element is evaluated in its scope (its type, or its own path for a backbone): one case per scope.
  const key = `${elementScope(c.path.replace(/\[x\]/g, ''))}|${c.expression}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
});
const cases = allCases.filter((c) => compileNative(c.path, c.expression) !== undefined);

/** A condition as the validator reads an expression's output: one boolean is its value, else any. */
const condition = (values: unknown[]) =>
  values.length === 1 && typeof values[0] === 'boolean' ? values[0] : values.length > 0;

/** What fhirpath.js says, as a condition, or 'error'. */
function reference(c: Case): (node: unknown) => boolean | 'error' {
  const base = c.path.replace(/\[x\]/g, '');
  // With its base path, fhirpath.js knows the element's type, as it does on a whole resource.
  const compiled = fhirpath.compile({ base, expression: c.expression }, r4Model);
  // On a resource itself (the Bundle's bdl-3), %resource is the node, as the validator passes it.
  const onResource = !base.includes('.');
  return (node) => {
    try {
      return condition(compiled(node, onResource ? { resource: node } : {}) as unknown[]);
    } catch {
      return 'error';
    }
  };
}

/** Checks the native answer against fhirpath.js on each node; returns how many were answered natively. */
function agree(c: Case, nodes: unknown[]): number {
  const native = compileNative(c.path, c.expression) as (node: unknown) => unknown[] | undefined;
  const expected = reference(c);
  let answered = 0;
  for (const node of nodes) {
    const answer = native(node);
    if (answer === undefined) continue;
    answered++;
    expect(condition(answer), `${c.key}: ${c.expression} on ${JSON.stringify(node)}`).toBe(expected(node));
  }
  return answered;
}

// ---- fixtures -----------------------------------------------------------------------------------------

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...jsonFiles(path));
    else if (name.endsWith('.json')) out.push(path);
  }
  return out;
}

/** Every object in the fixtures, by the scope (type or backbone path) its children are resolved in. */
function elementsByScope(): Map<string, Record<string, unknown>[]> {
  const byScope = new Map<string, Record<string, unknown>[]>();
  const visit = (value: unknown, scope: string | undefined) => {
    if (scope === undefined || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, scope));
    const record = value as Record<string, unknown>;
    const own = scope === 'Resource' && typeof record.resourceType === 'string' ? record.resourceType : scope;
    let list = byScope.get(own);
    if (!list) byScope.set(own, (list = []));
    list.push(record);
    for (const [key, child] of Object.entries(record)) {
      const element = elementChild(own, key);
      visit(child, element?.type === 'Resource' ? 'Resource' : element?.scope);
    }
  };
  const dirs = [igPaths().generatedResources, join(PROJECT_ROOT, 'test', 'fixtures'), TEST_CASES_DIR];
  for (const file of dirs.flatMap(jsonFiles)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const type = (parsed as { resourceType?: unknown } | null)?.resourceType;
    if (typeof type === 'string' && elementScope(type) !== undefined) visit(parsed, type);
  }
  return byScope;
}

/** The node, and the node without each of its elements in turn. */
function withEachTakenAway(node: Record<string, unknown>): Record<string, unknown>[] {
  return [
    node,
    ...Object.keys(node).map((key) => Object.fromEntries(Object.entries(node).filter(([k]) => k !== key))),
  ];
}

// ---- presence variants ----------------------------------------------------------------------------------

const MODEL = r4Model as unknown as { choiceTypePaths: Record<string, string[]> };

/** The JSON key a segment is found under (a choice under its first type). */
function keyOf(path: string, segment: string): string {
  const choices =
    MODEL.choiceTypePaths[`${path}.${segment}`] ??
    MODEL.choiceTypePaths[`${path.split('.').at(-1)}.${segment}`];
  const first = choices?.[0];
  return first ? `${segment}${first[0]?.toUpperCase()}${first.slice(1)}` : segment;
}

/** Nodes giving each element a presence test names each of its forms, the others absent. */
function presenceVariants(c: Case): Record<string, unknown>[] {
  const paths = [
    ...c.expression.matchAll(
      /(?<![.$%\w])([a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)*)\.(?:exists|empty|hasValue)\(\)/g,
    ),
  ].map((m) => (m[1] as string).split('.'));
  const forms = (segments: string[]): unknown[] => {
    const [first, ...rest] = segments;
    const key = keyOf(c.path, first as string);
    const leaf =
      rest.length === 0 ? 'x' : rest.reduceRight<unknown>((inner, segment) => ({ [segment]: inner }), 'x');
    return [
      { [key]: leaf },
      { [key]: [leaf] },
      { [key]: [] },
      { [key]: null },
      { [`_${key}`]: { extension: [{ url: 'urn:x', valueString: 'y' }] } },
    ];
  };
  const out: Record<string, unknown>[] = [{}];
  for (const segments of paths) for (const form of forms(segments)) out.push(form as Record<string, unknown>);
  // Pairs: every form of the first with every form of the second element named.
  if (paths.length >= 2)
    for (const a of forms(paths[0] as string[]))
      for (const b of forms(paths[1] as string[])) out.push({ ...(a as object), ...(b as object) });
  return out;
}

describe('native invariants agree with fhirpath.js', () => {
  it('the subset takes the invariants that dominate', () => {
    const keys = new Set(cases.map((c) => c.key));
    for (const key of [
      'qty-3',
      'sqty-1',
      'obs-3',
      'obs-6',
      'vs-3',
      'dom-6',
      'per-1',
      'oi-claim-1',
      'oi-claim-2',
      'oi-claim-3',
      'oi-clmresp-2',
    ])
      expect(keys, key).toContain(key);
    // Most of the constraints fhirpath.js would otherwise evaluate (the walker checks ele-1, dom-3 and
    // the other NATIVE_INVARIANTS itself); a floor, the share only grows as the subset does.
    const evaluated = (list: Case[]) => list.filter((c) => !NATIVE_INVARIANTS.has(c.key)).length;
    expect(evaluated(cases) / evaluated(allCases)).toBeGreaterThan(0.85);
  });

  const byScope = elementsByScope();
  it.each(cases.map((c) => [`${c.key} at ${c.path}`, c]))('%s', (_name, c) => {
    const scope = elementScope(c.path.replace(/\[x\]/g, '')) as string;
    const found = (byScope.get(scope) ?? []).slice(0, 200).flatMap(withEachTakenAway);
    agree(c, [...found, ...presenceVariants(c)]);
  });
});

describe('native comparisons, arithmetic and text, against fhirpath.js', () => {
  const at = (path: string, expression: string): Case => ({ key: expression, path, expression });

  it('per-1: dates of one precision are ordered natively; other precisions and times go to fhirpath.js', () => {
    const per1 = at('Period', 'start.hasValue().not() or end.hasValue().not() or (start <= end)');
    const periods = [
      {},
      { start: '2024-01-01' },
      { end: '2024-01-01' },
      { start: '2024-01-01', end: '2024-01-02' },
      { start: '2024-01-02', end: '2024-01-01' },
      { start: '2024-01-01', end: '2024-01-01' },
      { start: '2024', end: '2025' },
      { start: '2025', end: '2024' },
      { start: '2024-02', end: '2024-01' },
      { start: '2024', end: '2024-01-05' },
      { start: '2024-01-05', end: '2024' },
      { start: '2024-01-01T10:00:00Z', end: '2024-01-01T09:00:00Z' },
      { start: '2024-01-01T10:00:00+02:00', end: '2024-01-01T09:00:00Z' },
      { _start: { extension: [{ url: 'urn:x', valueString: 'y' }] }, end: '2024-01-01' },
    ];
    expect(agree(per1, periods)).toBeGreaterThanOrEqual(9);
  });

  it('sums are computed and compared as fhirpath.js does (floating point, compared at 1e-8)', () => {
    const sum = at(
      'Claim',
      'item.where(quantity.value.empty() or unitPrice.value.empty()).exists() or total.value.empty() or (total.value - item.select(quantity.value * unitPrice.value).aggregate($this + $total, 0)).abs() < 0.005',
    );
    const claim = (total: number | undefined, lines: [number, number][]) => ({
      ...(total === undefined ? {} : { total: { value: total } }),
      item: lines.map(([quantity, price]) => ({
        quantity: { value: quantity },
        unitPrice: { value: price },
      })),
    });
    const claims = [
      claim(400, [[1, 40]]),
      claim(0.3, [[3, 0.1]]),
      claim(0.30000000000000004, [[3, 0.1]]),
      claim(0.305, [[3, 0.1]]),
      claim(0.3049, [[3, 0.1]]),
      claim(1.1, [
        [1, 0.7],
        [2, 0.2],
      ]),
      claim(10, [[1, 9.995]]),
      claim(10, [[1, 9.99]]),
      claim(undefined, [[1, 5]]),
      claim(5, []),
      claim(123456789.12, [[3, 41152263.04]]),
      claim(1e21, [[1, 1e21]]),
      { total: { value: 5 }, item: [{ quantity: { value: 1 } }] },
    ];
    expect(agree(sum, claims)).toBeGreaterThanOrEqual(10);
  });

  it('text functions, equality and logic give what fhirpath.js gives', () => {
    const expressions = [
      'billablePeriod.start.empty() or billablePeriod.end.empty() or billablePeriod.start.toString().substring(0, 10) <= billablePeriod.end.toString().substring(0, 10)',
      "status = 'active' implies use.exists()",
      "status != 'active' xor use.exists()",
      "status.startsWith('act') and status.length() = 6",
      "status.endsWith('ive') or status.contains('xx')",
      "(status & '-' & use) = 'active-claim'",
      "status.matches('^a.*e$') and (status | use).count() = 2",
      "status in ('active' | 'draft') and ('claim' | 'x') contains use",
      'item.all(sequence > 0) and item.sequence.isDistinct()',
      'item.count() >= 2 and item.first().sequence < item.tail().first().sequence',
      'item.where(sequence = 1).exists(sequence.exists())',
      "status.substring(1) = 'ctive' and status.substring(10).empty()",
      'id.hasValue() and identifier.value.hasValue()',
      'item.sequence.aggregate($this + $total, 0) = 3',
    ];
    const claims = [
      {},
      { status: 'active', use: 'claim' },
      { status: 'active' },
      { status: 'draft', use: 'claim' },
      { status: 'active', use: 'claim', item: [{ sequence: 1 }, { sequence: 2 }] },
      { item: [{ sequence: 2 }, { sequence: 2 }] },
      { item: [{ sequence: 1 }] },
      { id: 'x', identifier: [{ value: 'a' }] },
      { identifier: [{ value: 'a' }, { value: 'b' }] },
      { billablePeriod: { start: '2024-01-01T10:00:00Z', end: '2024-01-01' } },
      { billablePeriod: { start: '2024-01-02', end: '2024-01-01T23:00:00Z' } },
      { billablePeriod: { start: '2024', end: '2024-01-01' } },
      { _status: { extension: [{ url: 'urn:x', valueString: 'y' }] } },
    ];
    for (const expression of expressions) {
      expect(compileNative('Claim', expression), expression).toBeDefined();
      agree(at('Claim', expression), claims);
    }
  });

  it('type tests (is, as, ofType) follow the R4 model as fhirpath.js does', () => {
    const expressions = [
      'value is Quantity',
      'value is Age',
      '(value as Quantity).value > 1',
      'value.as(Quantity).exists()',
      'value.ofType(Quantity).exists()',
      'value.is(string)',
      'value is Element',
      "(value as string) = 'x'",
      'value.ofType(string).exists() or value.ofType(CodeableConcept).exists()',
      'value.ofType(Resource).empty()',
      'component.value.ofType(Quantity).count() = 1',
      'component.value is Quantity',
    ];
    const observations = [
      {},
      { valueQuantity: { value: 2 } },
      { valueQuantity: { value: 0.5 } },
      { valueString: 'x' },
      { valueString: 'y' },
      { valueCodeableConcept: { text: 'z' } },
      { valueBoolean: true },
      { component: [{ valueQuantity: { value: 1 } }] },
      { component: [{ valueQuantity: { value: 1 } }, { valueString: 'a' }] },
      { _valueString: { extension: [{ url: 'urn:x', valueString: 'y' }] } },
    ];
    for (const expression of expressions) {
      expect(compileNative('Observation', expression), expression).toBeDefined();
      expect(agree(at('Observation', expression), observations), expression).toBeGreaterThanOrEqual(8);
    }
  });

  it('leaves what is outside the subset to fhirpath.js', () => {
    for (const expression of [
      'value.descendants().exists()',
      'value is FHIR.Quantity',
      'value is System.String',
      'value / 2 > 1',
      "code.memberOf('http://x')",
      'iif(value.exists(), true, false)',
    ])
      expect(compileNative('Quantity', expression), expression).toBeUndefined();
  });

  it('%resource: the node itself on a resource; on an element, no answer (fhirpath.js decides)', () => {
    expect(compileNative('Quantity', '%resource.id.exists()')?.({ value: 1 })).toBeUndefined();
    const onBundle = compileNative('Bundle', "%resource.type = 'batch'");
    expect(onBundle?.({ resourceType: 'Bundle', type: 'batch' })).toEqual([true]);
    expect(onBundle?.({ resourceType: 'Bundle', type: 'collection' })).toEqual([false]);
    // inside a criteria, %resource is still the resource, not $this
    const inside = compileNative('Bundle', 'entry.all(%resource.type.exists())');
    expect(inside?.({ resourceType: 'Bundle', type: 'batch', entry: [{}, {}] })).toEqual([true]);
  });

  it('an element the model does not know gives no answer (fhirpath.js decides)', () => {
    const native = compileNative('Quantity', 'nosuchelement.exists()');
    expect(native?.({ value: 1 })).toBeUndefined();
  });

  it('a name like constructor is not a function it knows', () => {
    expect(compileNative('Quantity', 'value.constructor()')).toBeUndefined();
  });
});
