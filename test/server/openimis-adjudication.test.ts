/**
 * The adjudication rules on their own (pure functions): each rejection reason for the case that
 * provokes it and the neighbouring case that does not, the order in which they are checked, valuation
 * at the price-list price, and the price list read from the IG's own examples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPriceListEntry, type PriceListEntry } from '../../harness/openimis/price-list.js';
import { igPaths } from '../../harness/paths.js';
import {
  adjudicate,
  ageGroupOf,
  careTypeOf,
  DEFAULT_PRODUCT_LIMITS,
  nextAllowedDay,
  quantityLimit,
  type ClaimFacts,
  type ClaimLine,
} from '../../harness/server/openimis/adjudication.js';

const example = (file: string) =>
  JSON.parse(readFileSync(join(igPaths().generatedResources, file), 'utf8')) as Record<string, unknown>;

const day = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

const consultation: PriceListEntry = {
  kind: 'service',
  reference: 'ActivityDefinition/a1',
  code: 'A1',
  unitPrice: 40,
  currency: 'EUR',
  genders: new Set(['male', 'female']),
  ages: new Set(['adult', 'child']),
  careTypes: new Set(['AMB', 'IMP']),
  workflow: 'C',
  frequency: { count: 1, periodDays: 1 },
};

function facts(overrides: Partial<ClaimFacts> = {}, line: Partial<ClaimLine> = {}): ClaimFacts {
  return {
    lines: [
      { sequence: 1, kind: 'service', code: 'A1', quantity: 1, unitPrice: 35, entry: consultation, ...line },
    ],
    insuree: { gender: 'male', birthDay: day('1980-05-01') },
    startDay: day('2026-03-10'),
    endDay: day('2026-03-10'),
    insured: true,
    limits: DEFAULT_PRODUCT_LIMITS,
    visitsUsed: 0,
    consultationsUsed: 0,
    earlier: [],
    duplicateCode: false,
    unknownDiagnoses: [],
    ...overrides,
  };
}

const reasonOf = (claim: ClaimFacts) => adjudicate(claim).lines[0]?.reason;

describe('the price list from the IG examples', () => {
  it('reads the general consultation: code, price, contexts, workflow and once a day', () => {
    const entry = readPriceListEntry(example('ActivityDefinition-general-consultation.json'));
    expect(entry).toMatchObject({
      kind: 'service',
      code: 'A1',
      unitPrice: 40,
      currency: 'EUR',
      workflow: 'C',
    });
    expect([...(entry?.genders ?? [])]).toEqual(['male', 'female']);
    expect([...(entry?.careTypes ?? [])]).toEqual(['AMB', 'IMP']);
    expect(entry?.frequency).toEqual({ count: 1, periodDays: 1 });
  });

  it('reads paracetamol from its extensions', () => {
    const entry = readPriceListEntry(example('Medication-paracetamol-500.json'));
    expect(entry).toMatchObject({
      kind: 'item',
      code: '0004',
      unitPrice: 0.5,
      frequency: { count: 1, periodDays: 1 },
    });
    expect([...(entry?.ages ?? [])]).toEqual(['adult', 'child']);
  });

  it('is nothing without a code or a price', () => {
    expect(readPriceListEntry({ resourceType: 'Medication', id: 'x' })).toBeUndefined();
    expect(readPriceListEntry({ resourceType: 'Patient', id: 'x' })).toBeUndefined();
  });
});

describe('a line', () => {
  it('is accepted and valuated at the price-list price, not the claimed one', () => {
    const result = adjudicate(facts());
    expect(result.lines[0]).toMatchObject({ reason: '0', claimed: 35, approved: 40 });
    expect(result.status).toBe('16');
  });

  it.each([
    ['3 without a policy in force', { insured: false }, {}, '3'],
    ['6 for a claim code already used', { duplicateCode: true }, {}, '6'],
    ['8 for a diagnosis not in the list', { unknownDiagnoses: ['X99'] }, {}, '8'],
    ['2 for a code in no price list', {}, { entry: undefined, code: 'ZZ' }, '2'],
    ['2 for an item claimed as a service', {}, { kind: 'item' as const }, '2'],
    [
      '4 for a gender the service is not for',
      { insuree: { gender: 'other', birthDay: day('1980-05-01') } },
      {},
      '4',
    ],
    [
      '4 for an unknown gender when the service names genders',
      { insuree: { birthDay: day('1980-05-01') } },
      {},
      '4',
    ],
    [
      '4 for a child where the service is for adults',
      { insuree: { gender: 'male', birthDay: day('2015-01-01') } },
      { entry: { ...consultation, ages: new Set(['adult']) } },
      '4',
    ],
    [
      '10 for in-patient care of an out-patient service',
      { endDay: day('2026-03-12') },
      { entry: { ...consultation, careTypes: new Set(['AMB']) } },
      '10',
    ],
    ['16 for twice a once-a-day service in one day', {}, { quantity: 2 }, '16'],
    [
      '5 for the service again the same day',
      { earlier: [{ code: 'A1', kind: 'service' as const, day: day('2026-03-10'), quantity: 1 }] },
      {},
      '5',
    ],
    ['12 once the visits are used up', { visitsUsed: DEFAULT_PRODUCT_LIMITS.visits }, {}, '12'],
    [
      '13 once the consultations are used up',
      { consultationsUsed: DEFAULT_PRODUCT_LIMITS.consultations },
      {},
      '13',
    ],
  ])('is rejected with %s', (_name, overrides, line, reason) => {
    const claim = facts(overrides, line);
    expect(reasonOf(claim)).toBe(reason);
    const result = adjudicate(claim);
    expect(result.lines[0]?.approved).toBe(0);
    expect(result.status).toBe('1');
  });

  it.each([
    ['two days of a once-a-day service on a two-day stay', { endDay: day('2026-03-11') }, { quantity: 2 }],
    [
      'the service again the day after',
      { earlier: [{ code: 'A1', kind: 'service' as const, day: day('2026-03-09'), quantity: 1 }] },
      {},
    ],
    [
      'another service the same day',
      { earlier: [{ code: 'B2', kind: 'service' as const, day: day('2026-03-10'), quantity: 1 }] },
      {},
    ],
    [
      'a consultation when only visits of another kind were used',
      { consultationsUsed: DEFAULT_PRODUCT_LIMITS.consultations - 1 },
      {},
    ],
  ])('is accepted for %s', (_name, overrides, line) => {
    expect(reasonOf(facts(overrides, line))).toBe('0');
  });

  it('is judged by the first rule that applies (no policy before the price list)', () => {
    expect(reasonOf(facts({ insured: false }, { entry: undefined }))).toBe('3');
  });

  it('leaves the others of a claim accepted: the claim is valuated with what it has', () => {
    const claim = facts();
    claim.lines.push({ sequence: 2, kind: 'item', code: 'ZZ', quantity: 1, unitPrice: 1 });
    const result = adjudicate(claim);
    expect(result.lines.map((line) => line.reason)).toEqual(['0', '2']);
    expect(result).toMatchObject({ status: '16', claimed: 36, approved: 40 });
  });
});

describe('the helpers the rules share', () => {
  it('counts an adult from the 18th birthday', () => {
    expect(ageGroupOf({ birthDay: day('2008-03-10') }, day('2026-03-10'))).toBe('adult');
    expect(ageGroupOf({ birthDay: day('2008-03-11') }, day('2026-03-10'))).toBe('child');
    expect(ageGroupOf({}, day('2026-03-10'))).toBeUndefined();
  });

  it('tells in-patient care by a stay of more than one day', () => {
    expect(careTypeOf(10, 10)).toBe('AMB');
    expect(careTypeOf(10, 11)).toBe('IMP');
  });

  it('limits the quantity by the frequency over the days of care', () => {
    expect(quantityLimit(consultation, 10, 10)).toBe(1);
    expect(quantityLimit(consultation, 10, 14)).toBe(5);
    expect(quantityLimit({ ...consultation, frequency: { count: 2, periodDays: 7 } }, 10, 20)).toBe(4);
    const { frequency: _f, ...unlimited } = consultation;
    expect(quantityLimit(unlimited, 10, 10)).toBeUndefined();
  });

  it('gives the next day an entry is allowed: after `count` deliveries in the period', () => {
    const twiceAWeek = { ...consultation, frequency: { count: 2, periodDays: 7 } };
    const had = (d: number) => ({ code: 'A1', kind: 'service' as const, day: d, quantity: 1 });
    expect(nextAllowedDay(twiceAWeek, [had(10)])).toBeUndefined();
    expect(nextAllowedDay(twiceAWeek, [had(10), had(12)])).toBe(17);
    expect(nextAllowedDay(consultation, [had(10)])).toBe(11);
  });
});
