/** ValueSet.compose semantics on small hand-written definitions. */
import { describe, expect, it } from 'vitest';
import { Terminology } from '../../harness/terminology/index.js';
import { MemorySource } from '../support/terminology-sources.js';

const CS = 'http://example.org/cs/animals';
const FRAGMENT = 'http://example.org/cs/partial';

const animals: fhir4.CodeSystem = {
  resourceType: 'CodeSystem',
  url: CS,
  version: '2.0',
  status: 'active',
  content: 'complete',
  property: [
    { code: 'status', type: 'code' },
    { code: 'notSelectable', type: 'boolean' },
    { code: 'child', type: 'code', uri: 'http://hl7.org/fhir/concept-properties#child' },
    { code: 'legs', type: 'integer' },
    { code: 'origin', type: 'Coding' },
  ],
  concept: [
    {
      code: 'animal',
      display: 'Animal',
      property: [{ code: 'notSelectable', valueBoolean: true }],
      concept: [
        {
          code: 'mammal',
          display: 'Mammal',
          property: [{ code: 'child', valueCode: 'platypus' }],
          concept: [
            { code: 'dog', display: 'Dog', property: [{ code: 'legs', valueInteger: 4 }] },
            { code: 'cat', display: 'Cat', designation: [{ language: 'fr', value: 'Chat' }] },
          ],
        },
        {
          code: 'bird',
          display: 'Bird',
          concept: [
            { code: 'hen', display: 'Hen', property: [{ code: 'legs', valueInteger: 2 }] },
            {
              code: 'dodo',
              display: 'Dodo',
              property: [
                { code: 'status', valueCode: 'retired' },
                { code: 'origin', valueCoding: { system: 'http://example.org/islands', code: 'mauritius' } },
              ],
            },
          ],
        },
        { code: 'platypus', display: 'Platypus' },
      ],
    },
  ],
};

const partial: fhir4.CodeSystem = {
  resourceType: 'CodeSystem',
  url: FRAGMENT,
  status: 'active',
  content: 'fragment',
  caseSensitive: false,
  concept: [{ code: 'Alpha', display: 'Alpha' }],
};

function vs(
  id: string,
  compose: fhir4.ValueSetCompose | undefined,
  extra: Partial<fhir4.ValueSet> = {},
): fhir4.ValueSet {
  return {
    resourceType: 'ValueSet',
    url: `http://example.org/vs/${id}`,
    status: 'active',
    compose,
    ...extra,
  };
}
const url = (id: string) => `http://example.org/vs/${id}`;

const valueSets: fhir4.ValueSet[] = [
  vs('all', { include: [{ system: CS }] }),
  vs('listed', {
    include: [{ system: CS, version: '1.0', concept: [{ code: 'dog', display: 'Doggy' }, { code: 'cat' }] }],
  }),
  vs('is-a-mammal', {
    include: [{ system: CS, filter: [{ property: 'concept', op: 'is-a', value: 'mammal' }] }],
  }),
  vs('descendent-of-mammal', {
    include: [{ system: CS, filter: [{ property: 'concept', op: 'descendent-of', value: 'mammal' }] }],
  }),
  vs('is-not-a-bird', {
    include: [{ system: CS, filter: [{ property: 'concept', op: 'is-not-a', value: 'bird' }] }],
  }),
  vs('retired', { include: [{ system: CS, filter: [{ property: 'status', op: '=', value: 'retired' }] }] }),
  vs('selectable', {
    include: [{ system: CS }],
    exclude: [{ system: CS, filter: [{ property: 'notSelectable', op: '=', value: 'true' }] }],
  }),
  vs('in-list', {
    include: [{ system: CS, filter: [{ property: 'concept', op: 'in', value: 'dog, hen' }] }],
  }),
  vs('not-in-list', {
    include: [{ system: CS, filter: [{ property: 'concept', op: 'not-in', value: 'dog,hen' }] }],
  }),
  vs('regex', { include: [{ system: CS, filter: [{ property: 'code', op: 'regex', value: '[a-d].*' }] }] }),
  vs('has-legs', { include: [{ system: CS, filter: [{ property: 'legs', op: 'exists', value: 'true' }] }] }),
  vs('coding-prop', {
    include: [
      {
        system: CS,
        filter: [{ property: 'origin', op: '=', value: 'http://example.org/islands#mauritius' }],
      },
    ],
  }),
  vs('birds-and-dogs', {
    include: [{ valueSet: [url('is-not-a-bird')] }, { system: CS, concept: [{ code: 'hen' }] }],
  }),
  vs('intersection', { include: [{ valueSet: [url('is-a-mammal'), url('in-list')] }] }),
  vs('system-and-vs', {
    include: [{ system: CS, concept: [{ code: 'dog' }, { code: 'hen' }], valueSet: [url('is-a-mammal')] }],
  }),
  vs('cycle-a', { include: [{ valueSet: [url('cycle-b')] }] }),
  vs('cycle-b', { include: [{ valueSet: [url('cycle-a')] }, { system: CS, concept: [{ code: 'dog' }] }] }),
  vs('missing-nested', { include: [{ valueSet: ['http://example.org/vs/nowhere'] }] }),
  vs('fragment', { include: [{ system: FRAGMENT }] }),
  vs('snomed', {
    include: [
      { system: 'http://snomed.info/sct', filter: [{ property: 'concept', op: 'is-a', value: '404684003' }] },
    ],
  }),
  vs('mixed', {
    include: [{ system: 'http://snomed.info/sct' }, { system: CS, concept: [{ code: 'dog' }] }],
  }),
  vs('expansion-only', undefined, {
    expansion: {
      timestamp: '2024-01-01',
      contains: [{ system: CS, code: 'dog', display: 'Dog' }, { contains: [{ system: CS, code: 'cat' }] }],
    },
  }),
  // An op R4 does not define, as a broken ValueSet may carry: the cast only quiets the type.
  vs('bad-filter', {
    include: [{ system: CS, filter: [{ property: 'concept', op: 'magic' as 'exists', value: 'x' }] }],
  }),
  vs('case', { include: [{ system: FRAGMENT, concept: [{ code: 'alpha' }] }] }),
  vs('unknown-system', { include: [{ system: 'http://example.org/cs/nowhere' }] }),
];

const tx = new Terminology(new MemorySource([animals, partial, ...valueSets]));
const codes = (id: string): string[] => {
  const expansion = tx.expand(url(id));
  return expansion.ok ? expansion.contains.map((c) => c.code).sort() : [`failed: ${expansion.message}`];
};

describe('ValueSet.compose semantics', () => {
  it('includes a whole code system, with the hierarchy in nested concepts', () => {
    expect(codes('all')).toEqual(['animal', 'bird', 'cat', 'dodo', 'dog', 'hen', 'mammal', 'platypus']);
    expect(tx.checkCode(url('all'), CS, 'dog')).toEqual({ result: 'valid', display: 'Dog' });
    expect(tx.checkCode(url('all'), CS, 'Dog')).toMatchObject({
      result: 'invalid',
      message: expect.stringContaining("Unknown code 'Dog'"),
    });
    expect(tx.checkCode(url('all'), 'http://other', 'dog').result).toBe('invalid');
  });

  it('takes the code system it holds when a version pin does not match, and prefers its displays', () => {
    expect(tx.checkCode(url('listed'), CS, 'dog')).toEqual({ result: 'valid', display: 'Dog' });
    expect(tx.checkCode(url('listed'), CS, 'hen').result).toBe('invalid');
  });

  it('applies is-a, descendent-of and is-not-a, counting `child` properties as hierarchy', () => {
    expect(codes('is-a-mammal')).toEqual(['cat', 'dog', 'mammal', 'platypus']);
    expect(codes('descendent-of-mammal')).toEqual(['cat', 'dog', 'platypus']);
    expect(codes('is-not-a-bird')).toEqual(['animal', 'cat', 'dog', 'mammal', 'platypus']);
  });

  it('filters on properties with =, in, not-in, regex and exists, Coding properties as system#code', () => {
    expect(codes('retired')).toEqual(['dodo']);
    expect(codes('selectable')).not.toContain('animal');
    expect(codes('in-list')).toEqual(['dog', 'hen']);
    expect(codes('not-in-list')).toEqual(['animal', 'bird', 'cat', 'dodo', 'mammal', 'platypus']);
    expect(codes('regex')).toEqual(['animal', 'bird', 'cat', 'dodo', 'dog']);
    expect(codes('has-legs')).toEqual(['dog', 'hen']);
    expect(codes('coding-prop')).toEqual(['dodo']);
    expect(tx.checkCode(url('selectable'), CS, 'animal').result).toBe('invalid');
    expect(tx.checkCode(url('selectable'), CS, 'cat').result).toBe('valid');
  });

  it('unions includes, and intersects ValueSets listed together (with or without a system)', () => {
    expect(codes('birds-and-dogs')).toEqual(['animal', 'cat', 'dog', 'hen', 'mammal', 'platypus']);
    expect(codes('intersection')).toEqual(['dog']);
    expect(codes('system-and-vs')).toEqual(['dog']);
    expect(tx.checkCode(url('system-and-vs'), CS, 'hen').result).toBe('invalid');
  });

  it('survives cycles between ValueSets', () => {
    expect(tx.checkCode(url('cycle-a'), CS, 'dog').result).toBe('valid');
    expect(tx.checkCode(url('cycle-a'), CS, 'cat').result).toBe('unknown-value-set');
    expect(tx.expand(url('cycle-a'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('includes itself'),
    });
  });

  it('says a ValueSet is unknown rather than that the code is wrong', () => {
    expect(tx.checkCode(url('missing-nested'), CS, 'dog').result).toBe('unknown-value-set');
    expect(tx.checkCode(url('missing-nested'), undefined, 'dog').result).toBe('unknown-value-set');
    expect(tx.checkCode('http://example.org/vs/none', CS, 'dog').result).toBe('unknown-value-set');
    expect(tx.checkCode(url('bad-filter'), CS, 'dog')).toMatchObject({ result: 'unknown-value-set' });
  });

  it('cannot prove a code absent from a fragment, and ignores case when the system says so', () => {
    expect(tx.checkCode(url('fragment'), FRAGMENT, 'alpha')).toEqual({ result: 'valid', display: 'Alpha' });
    expect(tx.checkCode(url('fragment'), FRAGMENT, 'beta')).toMatchObject({
      result: 'unknown-system',
      partial: true,
      message: expect.stringContaining('labeled as a fragment'),
    });
    expect(tx.checkCode(url('case'), FRAGMENT, 'ALPHA').result).toBe('valid');
    expect(tx.lookup(FRAGMENT, 'beta')).toMatchObject({
      found: false,
      reason: 'unknown-system',
      partial: true,
    });
  });

  it('reports systems it does not hold as unknown, but still checks the parts it does hold', () => {
    expect(tx.checkCode(url('snomed'), 'http://snomed.info/sct', '12345')).toMatchObject({
      result: 'unknown-system',
      system: 'http://snomed.info/sct',
    });
    expect(tx.checkCode(url('mixed'), CS, 'dog').result).toBe('valid');
    expect(tx.checkCode(url('mixed'), CS, 'cat').result).toBe('invalid');
    expect(tx.checkCode(url('mixed'), undefined, 'cat').result).toBe('unknown-system');
    expect(tx.checkCode(url('unknown-system'), 'http://example.org/cs/nowhere', 'x')).toMatchObject({
      result: 'unknown-system',
      message: expect.stringContaining('could not be found'),
    });
    expect(tx.expand(url('snomed')).ok).toBe(false);
  });

  it('uses a stored expansion when there is no compose', () => {
    expect(codes('expansion-only')).toEqual(['cat', 'dog']);
    expect(tx.checkCode(url('expansion-only'), CS, 'cat').result).toBe('valid');
    expect(tx.checkCode(url('expansion-only'), CS, 'hen').result).toBe('invalid');
    expect(tx.checkCode(url('expansion-only'), undefined, 'dog').result).toBe('valid');
  });

  it('places a bare code in the ValueSet’s systems', () => {
    expect(tx.checkCode(url('is-a-mammal'), undefined, 'cat')).toEqual({ result: 'valid', display: 'Cat' });
    // hen is a code of the animals system, which the value set filters out: the system is determined.
    expect(tx.checkCode(url('is-a-mammal'), undefined, 'hen')).toEqual({
      result: 'invalid',
      message: `The provided code '${CS}#hen' was not found in the value set '${url('is-a-mammal')}'`,
    });
    // cow is a code of no system of the value set: the system cannot be determined.
    expect(tx.checkCode(url('is-a-mammal'), undefined, 'cow')).toMatchObject({
      result: 'invalid',
      message: expect.stringContaining('System URI could not be determined'),
    });
  });

  it('looks codes up with every display', () => {
    expect(tx.lookup(CS, 'cat')).toEqual({ found: true, display: 'Cat', displays: ['Cat', 'Chat'] });
    expect(tx.lookup(CS, 'cow')).toMatchObject({ found: false, reason: 'unknown-code' });
    expect(tx.lookup('http://loinc.org', '1234-5')).toMatchObject({ found: false, reason: 'unknown-system' });
  });

  it('limits expansions', () => {
    const small = new Terminology(new MemorySource([animals, ...valueSets]), { maxExpansion: 3 });
    expect(small.expand(url('all'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('more than 3 codes'),
    });
    expect(small.checkCode(url('all'), CS, 'dog').result).toBe('valid');
  });

  it('never throws, whatever the definitions look like', () => {
    const broken = new Terminology({
      codeSystem: () =>
        ({
          resourceType: 'CodeSystem',
          content: 'complete',
          concept: [null, { code: 5 }],
        }) as unknown as fhir4.CodeSystem,
      valueSet: () =>
        ({
          resourceType: 'ValueSet',
          compose: { include: [null, { system: 'x', filter: [{}] }] },
        }) as unknown as fhir4.ValueSet,
    });
    expect(() => broken.checkCode('http://x', 'x', 'y')).not.toThrow();
    expect(() => broken.expand('http://x')).not.toThrow();
    const throwing = new Terminology({
      codeSystem: () => {
        throw new Error('disk gone');
      },
      valueSet: () => {
        throw new Error('disk gone');
      },
    });
    expect(throwing.checkCode('http://x', 'x', 'y').result).toBe('unknown-value-set');
    expect(throwing.lookup('x', 'y').found).toBe(false);
  });
});
