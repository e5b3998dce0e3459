import { describe, expect, it } from 'vitest';
import {
  compareNumber,
  compareRanges,
  dateRange,
  numberRange,
  splitPrefix,
} from '../../harness/server/search/ranges.js';
import { parseName, splitEscaped, unescape } from '../../harness/server/search/syntax.js';
import { expressionForType, splitUnion } from '../../harness/server/search/parameters.js';
import { normaliseText } from '../../harness/server/search/text.js';

describe('date ranges by precision', () => {
  it('gives each precision its range', () => {
    expect(dateRange('2024')).toEqual({ low: Date.UTC(2024, 0, 1), high: Date.UTC(2025, 0, 1) });
    expect(dateRange('2024-02')).toEqual({ low: Date.UTC(2024, 1, 1), high: Date.UTC(2024, 2, 1) });
    expect(dateRange('2024-02-29')).toEqual({ low: Date.UTC(2024, 1, 29), high: Date.UTC(2024, 2, 1) });
    expect(dateRange('2024-02-29T10:00Z')).toEqual({
      low: Date.UTC(2024, 1, 29, 10),
      high: Date.UTC(2024, 1, 29, 10, 1),
    });
    expect(dateRange('2024-02-29T10:00:05+02:00')?.low).toBe(Date.UTC(2024, 1, 29, 8, 0, 5));
    expect(dateRange('2024-02-29T10:00:05.123Z')).toEqual({
      low: Date.UTC(2024, 1, 29, 10, 0, 5, 123),
      high: Date.UTC(2024, 1, 29, 10, 0, 5, 124),
    });
  });
  it('refuses malformed dates', () => {
    for (const bad of ['2023-02-29', '2024-13', '24', '2024-01-01T25:00Z', 'yesterday', '2024-1-1'])
      expect(dateRange(bad), bad).toBeUndefined();
  });
  it('compares ranges as search.html#prefix says', () => {
    const day = dateRange('2024-03-05')!;
    const inside = dateRange('2024-03-05T10:00Z')!;
    const after = dateRange('2024-03-06')!;
    expect(compareRanges('eq', inside, day)).toBe(true);
    expect(compareRanges('eq', day, inside)).toBe(false);
    expect(compareRanges('ne', after, day)).toBe(true);
    expect(compareRanges('gt', after, day)).toBe(true);
    expect(compareRanges('gt', inside, day)).toBe(false);
    expect(compareRanges('ge', inside, day)).toBe(true);
    expect(compareRanges('lt', day, after)).toBe(true);
    expect(compareRanges('le', inside, day)).toBe(true);
    expect(compareRanges('sa', after, day)).toBe(true);
    expect(compareRanges('eb', day, after)).toBe(true);
    expect(compareRanges('eb', inside, day)).toBe(false);
    expect(compareRanges('ap', after, day, Date.UTC(2024, 2, 5))).toBe(true);
  });
});

describe('numbers and prefixes', () => {
  it('derives the range from significant digits', () => {
    expect(numberRange('100')).toEqual({ value: 100, low: 99.5, high: 100.5 });
    expect(numberRange('1.50')).toMatchObject({ low: 1.495, high: 1.505 });
    expect(numberRange('abc')).toBeUndefined();
    expect(numberRange('1e2')).toMatchObject({ value: 100, low: 50, high: 150 });
  });
  it('compares', () => {
    const n = numberRange('100')!;
    expect(compareNumber('eq', 100.2, n)).toBe(true);
    expect(compareNumber('ne', 101, n)).toBe(true);
    expect(compareNumber('gt', 101, n)).toBe(true);
    expect(compareNumber('lt', 99, n)).toBe(true);
    expect(compareNumber('ge', 100, n)).toBe(true);
    expect(compareNumber('le', 100, n)).toBe(true);
    expect(compareNumber('ap', 109, n)).toBe(true);
    expect(compareNumber('ap', 111, n)).toBe(false);
  });
  it('splits prefixes and refuses unknown ones', () => {
    expect(splitPrefix('ge2024')).toEqual({ prefix: 'ge', rest: '2024' });
    expect(splitPrefix('2024')).toEqual({ prefix: 'eq', rest: '2024' });
    expect(splitPrefix('xx2024')).toBeUndefined();
  });
});

describe('syntax', () => {
  it('parses names with modifiers and chains', () => {
    expect(parseName('name:exact')).toEqual({ code: 'name', modifier: 'exact' });
    expect(parseName('subject:Patient.name:contains')).toEqual({
      code: 'subject',
      modifier: 'Patient',
      chain: 'name:contains',
    });
  });
  it('honours escapes', () => {
    expect(splitEscaped('a\\,b,c', ',')).toEqual(['a,b', 'c']);
    expect(splitEscaped('s\\|x|c', '|', 2).map(unescape)).toEqual(['s|x', 'c']);
  });
  it('normalises case and accents', () => {
    expect(normaliseText('Müller ÉLODIE')).toBe('muller elodie');
  });
  it('restricts a multi-type expression to one type', () => {
    expect(splitUnion("A.b | (A.c as Reference) | B.d.where(x = 'a|b')")).toEqual([
      'A.b',
      '(A.c as Reference)',
      "B.d.where(x = 'a|b')",
    ]);
    expect(expressionForType('Patient.name | Practitioner.name', 'Practitioner')).toBe('Practitioner.name');
    expect(expressionForType('Resource.meta.tag', 'Patient')).toBe('Patient.meta.tag');
    expect(expressionForType('Patient.name', 'Group')).toBeUndefined();
  });
});
