/**
 * OrdinalList against a Set: any sequence of adds and deletes (appends in order, older ordinals into the
 * tail, enough of them to merge, removals marked and swept) leaves the same members, the same size and
 * the same answers to has().
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrdinalList } from '../../harness/server/search/ordinal-list.js';

type Step = { add: boolean; ordinal: number };

const steps = (range: number) =>
  fc.array(fc.record({ add: fc.boolean(), ordinal: fc.nat({ max: range }) }), { maxLength: 2_000 });

function check(first: number[], sequence: Step[]): void {
  const list = new OrdinalList(first);
  const model = new Set(first);
  for (const { add, ordinal } of sequence) {
    if (add) {
      list.add(ordinal);
      model.add(ordinal);
    } else expect(list.delete(ordinal)).toBe(model.delete(ordinal));
  }
  expect(list.size).toBe(model.size);
  expect([...list].sort((a, b) => a - b)).toEqual([...model].sort((a, b) => a - b));
  for (let ordinal = 0; ordinal <= 600; ordinal += 7) expect(list.has(ordinal)).toBe(model.has(ordinal));
  expect(list.only()).toBe(model.size === 1 ? [...model][0] : undefined);
}

describe('OrdinalList', () => {
  it('holds what a Set holds, whatever the order of adds and deletes', () => {
    fc.assert(fc.property(fc.array(fc.nat({ max: 600 }), { maxLength: 50 }), steps(600), check), {
      numRuns: 200,
    });
  });

  it('keeps appends in order, merges a long tail and sweeps many removals', () => {
    const ascending = Array.from({ length: 1_000 }, (_, i) => i * 2);
    const older: Step[] = Array.from({ length: 300 }, (_, i) => ({ add: true, ordinal: 1_999 - i * 2 }));
    const removals: Step[] = Array.from({ length: 400 }, (_, i) => ({ add: false, ordinal: i * 4 }));
    const readds: Step[] = Array.from({ length: 100 }, (_, i) => ({ add: true, ordinal: i * 8 }));
    check(ascending, [...older, ...removals, ...readds]);
  });
});
