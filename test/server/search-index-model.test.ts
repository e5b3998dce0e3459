/**
 * The compact index (ordinals, postings as numbers, small arrays and OrdinalLists, interned values,
 * shared and virtual parameters) against the plainest reading of the same searches: every live
 * resource's values extracted by fhirpath.js and matched one by one, in the default order. Random
 * Patients drawn from small pools (so that keys are shared by many and postings grow and shrink), random
 * creates, updates and deletes in batches, then random searches: both must find the same resources in
 * the same order, and the same total.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../harness/server/search/extractor.js';
import { compareRanges, dateRange, splitPrefix, type Range } from '../../harness/server/search/ranges.js';
import { normaliseText } from '../../harness/server/search/text.js';
import type { SearchParameterInfo } from '../../harness/server/search/types.js';
import type { StringValue, TokenValue, ReferenceValue } from '../../harness/server/search/values.js';
import { isSearchError } from '../../harness/server/search/index.js';
import type { JsonObject } from '../../harness/json.js';
import { searchFixture } from '../support/search-fixture.js';

const SYSTEMS = ['urn:a', 'urn:b'];
const FAMILIES = ['Smith', 'smith', 'Müller', 'Mueller', 'Okafor', 'Ok', 'Silva', 'Banda'];
const GIVEN = ['Amina', 'Ali', 'Neema', 'John', 'Jo'];
const DATES = ['1980', '1980-05', '1980-05-17', '1981-01-01', '1990-12-31', '2001-02-03'];
const CITIES = ['Dar', 'Dodoma', 'Arusha'];
const REFERENCES = ['Practitioner/p1', 'Practitioner/p2', 'Organization/p1', 'Organization/o9'];

const patientArbitrary = (id: number) =>
  fc
    .record({
      gender: fc.option(fc.constantFrom('female', 'male', 'other', 'unknown'), { nil: undefined }),
      active: fc.option(fc.boolean(), { nil: undefined }),
      family: fc.option(fc.constantFrom(...FAMILIES), { nil: undefined }),
      given: fc.array(fc.constantFrom(...GIVEN), { maxLength: 2 }),
      identifiers: fc.array(
        fc.record({
          system: fc.option(fc.constantFrom(...SYSTEMS), { nil: undefined }),
          value: fc.integer({ min: 1, max: 12 }),
        }),
        { maxLength: 2 },
      ),
      phone: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      birthDate: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
      city: fc.option(fc.constantFrom(...CITIES), { nil: undefined }),
      practitioner: fc.option(fc.constantFrom(...REFERENCES), { nil: undefined }),
      typeText: fc.option(fc.constantFrom('National ID', 'Card number'), { nil: undefined }),
    })
    .map((p): JsonObject => {
      const resource: JsonObject = { resourceType: 'Patient', id: `p${id}` };
      if (p.gender) resource.gender = p.gender;
      if (p.active !== undefined) resource.active = p.active;
      if (p.family || p.given.length > 0)
        resource.name = [
          { ...(p.family ? { family: p.family } : {}), ...(p.given.length ? { given: p.given } : {}) },
        ];
      if (p.identifiers.length > 0)
        resource.identifier = p.identifiers.map((identifier) => ({
          ...(identifier.system ? { system: identifier.system } : {}),
          value: `V${identifier.value}`,
          ...(p.typeText ? { type: { text: p.typeText, coding: [{ system: 'urn:t', code: 'NI' }] } } : {}),
        }));
      if (p.phone !== undefined) resource.telecom = [{ system: 'phone', value: `+255${p.phone}` }];
      if (p.birthDate) resource.birthDate = p.birthDate;
      if (p.city) resource.address = [{ city: p.city }];
      if (p.practitioner) resource.generalPractitioner = [{ reference: p.practitioner }];
      return resource;
    });

type Operation = { kind: 'put'; resources: JsonObject[] } | { kind: 'delete'; id: string };

const operations = fc.array(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(fc.integer({ min: 0, max: 39 }).chain(patientArbitrary), { minLength: 1, maxLength: 12 })
        .map((resources): Operation => ({ kind: 'put', resources })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 0, max: 39 }).map((id): Operation => ({ kind: 'delete', id: `p${id}` })),
    },
  ),
  { minLength: 3, maxLength: 14 },
);

const QUERIES = fc.oneof(
  fc.constantFrom('female', 'male', 'other', 'female,male').map((v) => `gender=${v}`),
  fc.constantFrom('female', 'male').map((v) => `gender:not=${v}`),
  fc.constantFrom('true', 'false').map((v) => `active=${v}`),
  fc.constantFrom('true', 'false').map((v) => `birthdate:missing=${v}`),
  fc.constantFrom('true', 'false').map((v) => `family:missing=${v}`),
  fc.constantFrom('smi', 'Smith', 'muller', 'mü', 'ok', 'o').map((v) => `family=${encodeURIComponent(v)}`),
  fc.constantFrom('Smith', 'smith', 'Müller').map((v) => `family:exact=${encodeURIComponent(v)}`),
  fc.constantFrom('mi', 'ue', 'a').map((v) => `name:contains=${v}`),
  fc.constantFrom('ami', 'jo', 'neema').map((v) => `given=${v}`),
  fc.constantFrom('a', 'ar').map((v) => `phonetic=${v}`),
  fc
    .constantFrom('V1', 'V2', 'urn:a|V3', 'urn:b|V3', '|V4', 'urn:a|', 'urn:b|V1,urn:a|V1')
    .map((v) => `identifier=${encodeURIComponent(v)}`),
  fc.constantFrom('national', 'card').map((v) => `identifier:text=${v}`),
  fc.constantFrom('urn:t|NI|V1', 'urn:t|NI|V2').map((v) => `identifier:of-type=${encodeURIComponent(v)}`),
  fc.constantFrom('+2551', '+2552').map((v) => `phone=${encodeURIComponent(v)}`),
  fc
    .constantFrom('1980', 'ge1981', 'lt1981', 'eq1980-05', 'sa1980-12-31', 'ne1990-12-31', 'le1980-05-17')
    .map((v) => `birthdate=${v}`),
  fc.constantFrom('dar', 'do', 'Arusha').map((v) => `address-city=${v}`),
  fc
    .constantFrom('Practitioner/p1', 'p1', 'Organization/o9', 'o9')
    .map((v) => `general-practitioner=${encodeURIComponent(v)}`),
  fc.constantFrom('p1', 'p2,p3', 'nope').map((v) => `_id=${v}`),
  fc.constant(''),
);

/** The plainest reading: every live resource's values by fhirpath.js, matched one by one. */
function expectedIds(
  resources: Map<string, { resource: JsonObject; instant: number }>,
  query: string,
  parameters: Map<string, SearchParameterInfo>,
): string[] {
  const clauses = [...new URLSearchParams(query)];
  const live = [...resources.values()];
  const matching = live.filter(({ resource }) =>
    clauses.every(([name, value]) => matchesClause(resource, name, value, parameters)),
  );
  return matching
    .sort((a, b) => b.instant - a.instant || (a.resource.id! < b.resource.id! ? -1 : 1))
    .map(({ resource }) => resource.id as string);
}

function matchesClause(
  resource: JsonObject,
  name: string,
  value: string,
  parameters: Map<string, SearchParameterInfo>,
): boolean {
  const [code = '', modifier] = name.split(':');
  const info = parameters.get(code)!;
  const extract = compileExtractor(info, 'Patient', false);
  if ('error' in extract) throw new Error(extract.error);
  const values = extract(resource);
  if (modifier === 'missing') return (values.length === 0) === (value === 'true');
  if (modifier === 'not') return !value.split(',').some((v) => tokenMatches(values as TokenValue[], v));
  return value.split(',').some((alternative) => {
    switch (info.type) {
      case 'token':
        if (modifier === 'text') {
          const wanted = normaliseText(alternative);
          return (values as TokenValue[]).some((v) =>
            v.texts.some((t) => t.startsWith(wanted) || t.includes(` ${wanted}`)),
          );
        }
        if (modifier === 'of-type') {
          const [system, typeCode, identifier] = alternative.split('|');
          return (values as TokenValue[]).some(
            (v) =>
              v.code === identifier &&
              (v.identifierType ?? []).some((t) => t.code === typeCode && t.system === system),
          );
        }
        return tokenMatches(values as TokenValue[], alternative);
      case 'string': {
        const wanted = normaliseText(alternative);
        const strings = values as StringValue[];
        if (modifier === 'exact') return strings.some((v) => v.raw === alternative);
        if (modifier === 'contains') return strings.some((v) => v.norm.includes(wanted));
        return strings.some((v) => v.norm.startsWith(wanted));
      }
      case 'date': {
        const split = splitPrefix(alternative)!;
        const range = dateRange(split.rest)!;
        return (values as Range[]).some((v) => compareRanges(split.prefix, v, range));
      }
      case 'reference':
        return (values as ReferenceValue[]).some((v) =>
          alternative.includes('/') ? v.key === alternative : v.id === alternative,
        );
      default:
        throw new Error(`no model for ${info.type}`);
    }
  });
}

function tokenMatches(values: TokenValue[], query: string): boolean {
  if (!query.includes('|')) return values.some((v) => v.code === query);
  const [system, code] = query.split('|');
  if (system === '') return values.some((v) => v.code === code && v.system === undefined);
  if (code === '') return values.some((v) => v.system === system);
  return values.some((v) => v.code === code && v.system === system);
}

describe('the compact index against a scan of every resource', () => {
  it('finds the same resources, in the same order, after any creates, updates and deletes', () => {
    fc.assert(
      fc.property(operations, fc.array(QUERIES, { minLength: 8, maxLength: 8 }), (ops, queries) => {
        const f = searchFixture();
        const parameters = new Map(f.engine.parameters('Patient').map((info) => [info.code, info]));
        const model = new Map<string, { resource: JsonObject; instant: number }>();
        for (const op of ops) {
          if (op.kind === 'put') {
            // One commit: the resources share an instant; the last write of an id wins.
            f.put(...op.resources);
            const instant = Date.parse(f.storage.read('Patient', op.resources[0]!.id as string)!.lastUpdated);
            for (const resource of op.resources) model.set(resource.id as string, { resource, instant });
          } else {
            f.remove('Patient', op.id);
            model.delete(op.id);
          }
        }
        for (const query of queries) {
          const result = f.run('Patient', query);
          if (isSearchError(result)) throw new Error(`${query}: ${result.error}`);
          const expected = expectedIds(model, query, parameters);
          expect(
            result.matches.map((m) => m.id),
            query,
          ).toEqual(expected);
          expect(result.total, query).toBe(expected.length);
          const page = f.engine.search('Patient', [...new URLSearchParams(query)], { offset: 1, count: 3 });
          if (isSearchError(page)) throw new Error(page.error);
          expect(
            page.matches.map((m) => m.id),
            `${query}, a page`,
          ).toEqual(expected.slice(1, 4));
        }
      }),
      { numRuns: 60 },
    );
  });
});
