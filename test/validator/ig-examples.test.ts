import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createValidator } from '../../harness/validator/index.js';
import { IG_RESOURCES } from '../support/validator-fixtures.js';

/** Conformance resources define the IG; every other file in the SUSHI output is an example. */
const DEFINITION_PREFIXES = [
  'StructureDefinition-',
  'CodeSystem-',
  'ValueSet-',
  'SearchParameter-',
  'ImplementationGuide-',
];

const examples = readdirSync(IG_RESOURCES)
  .filter((file) => file.endsWith('.json') && !DEFINITION_PREFIXES.some((p) => file.startsWith(p)))
  .sort();

describe('the IG examples', () => {
  const validator = createValidator({ igs: [IG_RESOURCES] });

  it('are there to validate', () => {
    expect(examples.length).toBeGreaterThan(20);
  });

  it.each(examples)('%s validates against its meta.profile with no error', (file) => {
    const text = readFileSync(join(IG_RESOURCES, file), 'utf8');
    const { issues } = validator.validateDetailed(text);
    const errors = issues
      .filter((i) => i.severity === 'error' || i.severity === 'fatal' || i.id === 'STRUCT_PROFILE_UNKNOWN')
      .map((i) => `${i.severity} ${i.expression} ${i.id}: ${i.text}`);
    // An unknown profile would be skipped with a warning, so the example would pass unchecked.
    expect(errors).toEqual([]);
  });
});
