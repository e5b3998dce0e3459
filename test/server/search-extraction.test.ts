/**
 * Index values extracted two ways: a plain element path walked on the JSON (the fast way) and the same
 * expression in fhirpath.js. For every IG example (a realistic spread of types and shapes) and every
 * search parameter of its type, both must give the same values; and the fast way must actually serve
 * most core parameters, or it would be a fast path nobody takes.
 */
import { describe, expect, it } from 'vitest';
import { DefinitionRegistry } from '../../harness/fhir/index.js';
import { igPaths } from '../../harness/paths.js';
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

describe('index values from plain paths and from fhirpath.js', () => {
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
