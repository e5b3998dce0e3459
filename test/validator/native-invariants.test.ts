/**
 * Invariants evaluated natively (presence, distinctness) must say what fhirpath.js says. Every constraint of the core
 * package and the IG that the native grammar takes is evaluated both ways, at its own element path, on
 * nodes where each element it names is absent, present, present as an empty list, null, or present only
 * through its `_x` extension companion.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import { fhirCachePaths, igPaths } from '../../harness/paths.js';
import { compileNative } from '../../harness/validator/native-invariants.js';

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
const cases = [
  ...constraintsIn(join(fhirCachePaths().packages, 'hl7.fhir.r4.core#4.0.1', 'package')),
  ...constraintsIn(igPaths().generatedResources),
]
  .filter((c) => compileNative(c.path, c.expression) !== undefined)
  .filter((c) => {
    const key = `${c.path}|${c.expression}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

const MODEL = r4Model as unknown as { choiceTypePaths: Record<string, string[]> };

/** The JSON key a segment is found under (a choice under its first type). */
function keyOf(path: string, segment: string): string {
  const choices =
    MODEL.choiceTypePaths[`${path}.${segment}`] ??
    MODEL.choiceTypePaths[`${path.split('.').at(-1)}.${segment}`];
  const first = choices?.[0];
  return first ? `${segment}${first[0]?.toUpperCase()}${first.slice(1)}` : segment;
}

/** Nodes giving each first-level element the expression names each of its forms, the others absent. */
function variants(c: Case): Record<string, unknown>[] {
  const distinct = /^([a-z][A-Za-z0-9]*)\.([a-z][A-Za-z0-9]*)\.isDistinct\(\)$/.exec(c.expression);
  if (distinct) {
    const [, holder, leaf] = distinct as unknown as [string, string, string];
    const items = (values: unknown[]) => ({ [holder]: values.map((value) => ({ [leaf]: value })) });
    return [
      {},
      items([]),
      items([1]),
      items([1, 2]),
      items([1, 1]),
      items(['a', 'a']),
      items([1, '1']),
      items([{ x: 1 }]),
    ];
  }
  const paths = [
    ...c.expression.matchAll(/([a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)*)\.(?:exists|empty)\(\)/g),
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

describe('presence invariants, natively and in fhirpath.js', () => {
  it('the grammar takes the invariants that dominate (qty-3, sqty-1, obs-3, oi-claim-3...)', () => {
    const keys = new Set(cases.map((c) => c.key));
    for (const key of ['qty-3', 'sqty-1', 'obs-3', 'obs-6', 'vs-3', 'oi-claim-3', 'oi-clmresp-2', 'dom-6'])
      expect(keys, key).toContain(key);
  });

  it.each(cases.map((c) => [`${c.key} at ${c.path}`, c]))('%s', (_name, c) => {
    const native = compileNative(c.path, c.expression) as (node: unknown) => boolean | undefined;
    const base = c.path.replace(/\[x\]/g, '');
    // With its base path, fhirpath.js knows the element's type, as it does on a whole resource.
    const reference = fhirpath.compile({ base, expression: c.expression }, r4Model);
    for (const node of variants(c)) {
      const expected = reference(node) as unknown[];
      const answer = native(node);
      // No answer: fhirpath.js decides (values that are not primitives, for isDistinct).
      if (answer !== undefined)
        expect([answer], `${c.expression} on ${JSON.stringify(node)}`).toEqual(expected);
    }
  });

  it('leaves anything else to fhirpath.js', () => {
    for (const expression of [
      'start.hasValue().not() or end.hasValue().not() or (start <= end)',
      'code.exists() implies system.exists()',
      'value.count() > 1',
      'nosuchelement.exists()',
      '(a.exists() or b.exists()) and c.exists()',
    ])
      expect(compileNative('Quantity', expression), expression).toBeUndefined();
  });
});
