/**
 * Index values extracted three ways: a plain element path walked on the JSON, the validator's native
 * FHIRPath subset (where(), exists(), type tests...), and fhirpath.js. For every IG example, every
 * fixture resource and a spread of the bench's Patients, and every search parameter of its type, the
 * fast ways must give what fhirpath.js gives; and they must actually serve the parameters of the
 * workflow types, or they would be fast paths nobody takes.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { patient as benchPatient } from '../../bench/server/patients.js';
import { DefinitionRegistry } from '../../harness/fhir/index.js';
import { PROJECT_ROOT, igPaths } from '../../harness/paths.js';
import { compileExtractor, plainPathWalker } from '../../harness/server/search/extractor.js';
import { expressionForType } from '../../harness/server/search/parameters.js';
import { SearchEngine } from '../../harness/server/search/index.js';
import { openStorage } from '../../harness/server/storage/index.js';
import { generatedIg } from '../support/generated-ig.js';

const definitions = DefinitionRegistry.withCore();
definitions.addPackage(igPaths().generatedResources);
const search = new SearchEngine(definitions, openStorage({}));
const examples = generatedIg().examples.map(
  (example) => example.resource as unknown as Record<string, unknown>,
);

/** Every resource in the test fixtures (files, fixtures' `resource`, Bundle entries), broken ones too. */
function fixtureResources(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || depth > 6) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, depth + 1));
    const record = value as Record<string, unknown>;
    if (typeof record.resourceType === 'string') out.push(record);
    for (const key of ['resource', 'entry']) visit(record[key], depth + 1);
  };
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) {
        try {
          visit(JSON.parse(readFileSync(path, 'utf8')), 0);
        } catch {
          // a fixture of malformed JSON on purpose
        }
      }
    }
  };
  walk(join(PROJECT_ROOT, 'test', 'fixtures'));
  return out;
}

describe('index values from plain paths, native FHIRPath and fhirpath.js', () => {
  it.each(examples.map((resource) => [`${String(resource.resourceType)}/${String(resource.id)}`, resource]))(
    '%s: the same values for every parameter',
    (_name, resource) => {
      const type = String(resource.resourceType);
      for (const info of search.parameters(type)) {
        const fast = compileExtractor(info, type);
        const slow = compileExtractor(info, type, false);
        if ('error' in fast || 'error' in slow) continue;
        expect(fast(resource), `${type} ${info.code}`).toEqual(slow(resource));
      }
    },
  );

  it('serves most parameters of the claim and patient types by the plain path', () => {
    for (const type of ['Patient', 'Claim', 'ClaimResponse', 'Coverage']) {
      const expressions = search
        .parameters(type)
        .map((info) => (info.expression ? expressionForType(info.expression, type) : undefined))
        .filter((expression): expression is string => expression !== undefined);
      const plain = expressions.filter((expression) => plainPathWalker(expression) !== undefined);
      expect(plain.length / expressions.length, type).toBeGreaterThan(0.5);
    }
  });

  it("serves the rest of them natively where the validator's FHIRPath subset reaches", () => {
    const ways = (type: string) =>
      Object.fromEntries(
        search.parameters(type).flatMap((info) => {
          const extract = compileExtractor(info, type);
          return 'error' in extract ? [] : [[info.code, extract.way]];
        }),
      );
    expect(ways('Patient')).toMatchObject({
      phone: 'native',
      email: 'native',
      deceased: 'native',
      'death-date': 'native',
      identifier: 'plain',
      name: 'plain',
    });
    expect(ways('Contract')).toMatchObject({ patient: 'native' });
    const fhirpathOnly = ['Patient', 'Claim', 'ClaimResponse', 'Coverage', 'Contract', 'Invoice', 'Location']
      .flatMap((type) => Object.entries(ways(type)).filter(([, way]) => way === 'fhirpath'))
      .map(([code]) => code);
    expect(fhirpathOnly).toEqual([]);
  });

  it("gives the same values both ways on the bench's Patients and the validator's fixtures", () => {
    const resources = [...Array.from({ length: 200 }, (_, i) => benchPatient(i)), ...fixtureResources()];
    let compared = 0;
    for (const resource of resources) {
      const type = String(resource.resourceType);
      for (const info of search.parameters(type)) {
        const fast = compileExtractor(info, type);
        const slow = compileExtractor(info, type, false);
        if ('error' in fast || 'error' in slow || fast.way === 'fhirpath') continue;
        expect(fast(resource), `${type} ${info.code} on ${JSON.stringify(resource).slice(0, 200)}`).toEqual(
          slow(resource),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5_000);
  });

  it('leaves functions, choices and casts to fhirpath.js', () => {
    for (const expression of [
      'Observation.value',
      'Patient.deceased.exists()',
      'Claim.patient.where(resolve() is Patient)',
      '(Observation.value as Quantity)',
      'Patient.nosuchelement',
    ])
      expect(plainPathWalker(expression), expression).toBeUndefined();
  });
});
