/**
 * parseJsonSource against JSON.parse on typical FHIR resources (2-25 KB) and one large definition.
 *
 *   npx vitest bench --run bench/json-source.bench.ts
 *
 * The target is at most ~3x the time of JSON.parse per resource.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { parseJsonSource } from '../harness/validator/json-source.js';

const TEST_CASES = '/work/shared/fhir-test-cases/validator';
const CORE = join(process.cwd(), '.fhir-cache/home/.fhir/packages/hl7.fhir.r4.core#4.0.1/package');

const TYPICAL = [
  join(TEST_CASES, 'obs-vs-1.json'),
  join(TEST_CASES, 'parameters-reference.json'),
  join(TEST_CASES, 'res-inv-profile-org.json'),
  join(TEST_CASES, 'bundle-resolve-deep-profile.json'),
  join(TEST_CASES, 'uk-msg.json'),
  join(CORE, 'CodeSystem-observation-category.json'),
  join(CORE, 'ValueSet-administrative-gender.json'),
];
const LARGE = join(CORE, 'StructureDefinition-Patient.json');

function load(files: string[]): string[] {
  return files.map((f) => readFileSync(f, 'utf8'));
}

const typical = load(TYPICAL);
const large = load([LARGE]);

for (const [name, texts] of [
  [`${typical.length} typical resources (${typical.reduce((n, t) => n + t.length, 0)} chars)`, typical],
  [`StructureDefinition-Patient (${large[0]?.length} chars)`, large],
] as const) {
  describe(name, () => {
    bench('JSON.parse', () => {
      for (const t of texts) JSON.parse(t);
    });
    bench('parseJsonSource', () => {
      for (const t of texts) {
        const r = parseJsonSource(t);
        if (!r.ok) throw new Error(r.error.message);
      }
    });
    bench('parseJsonSource + locate one path', () => {
      for (const t of texts) {
        const r = parseJsonSource(t);
        if (!r.ok) throw new Error(r.error.message);
        r.json.locate(['resourceType']);
      }
    });
  });
}
