/**
 * The message ids are the validator's contract: they follow one grammar, and each one is emitted by at
 * least one invalid fixture (so none is dead, and each has a test that shows it).
 */
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../harness/validator/index.js';
import { loadFixtures, validateFixture } from '../support/validator-fixtures.js';

const AREAS = ['STRUCT', 'CARD', 'TYPE', 'SLICE', 'FIXED', 'BIND', 'TX', 'REF', 'EXT', 'INV', 'BUNDLE'];

/** Ids no well-formed fixture can provoke: faults of the validator or of a definition, and limits. */
const NOT_PROVOKED_BY_FIXTURES: Record<string, string> = {
  STRUCT_VALIDATOR_FAULT:
    'a fault of the validator itself; the robustness test provokes it with hostile objects',
  STRUCT_DEFINITION_BROKEN: 'a definition that cannot be compiled at all',
  STRUCT_DEFINITION_PROBLEM: 'a differential with elements its base lacks; the oracle cases provoke it',
  STRUCT_TOO_MANY_ISSUES: 'more than 10,000 issues; the robustness test provokes it',
  STRUCT_JSON_TOO_DEEP: 'an object (not text) nested over 1,000 levels; the robustness test provokes it',
  TX_VALUE_SET_UNKNOWN: 'a binding to a value set nobody defined',
  SLICE_DISCRIMINATOR_UNSUPPORTED: 'a discriminator path outside the supported FHIRPath subset',
  INV_EVALUATION_FAILED: 'an invariant fhirpath.js cannot evaluate on sound data',
  STRUCT_XML_SYNTAX: 'the fixtures are JSON; xml-input.test.ts provokes it with unreadable XML',
};

describe('message ids', () => {
  it.each(Object.keys(MESSAGES))('%s follows AREA_SUBJECT_PROBLEM over the closed list of areas', (id) => {
    expect(id).toMatch(/^[A-Z]+(_[A-Z0-9]+)+$/);
    expect(AREAS).toContain(id.split('_')[0]);
  });

  it('every id is emitted by some invalid fixture, or is listed with the reason it cannot be', () => {
    const emitted = new Set<string>();
    for (const { fixture } of loadFixtures())
      for (const found of validateFixture(fixture)) emitted.add(found.id);
    const silent = Object.keys(MESSAGES).filter(
      (id) => !emitted.has(id) && !(id in NOT_PROVOKED_BY_FIXTURES),
    );
    expect(silent).toEqual([]);
    for (const id of Object.keys(NOT_PROVOKED_BY_FIXTURES)) expect(Object.keys(MESSAGES)).toContain(id);
  });
});
