/** Cardinality: how many occurrences an element (or a slice) has, against its min and max. */
import type { ElementSchema } from './schema.js';
import { elementLabel, type Cursor, type WalkContext } from './walk-context.js';

export function checkCardinality(
  walk: WalkContext,
  element: ElementSchema,
  count: number,
  cursor: Cursor,
  label = elementLabel(element),
): void {
  if (count < element.min)
    walk.report(
      'CARD_MIN_NOT_MET',
      cursor,
      { element: label, min: element.min, count },
      { source: element.owner },
    );
  if (count > element.max)
    walk.report(
      'CARD_MAX_EXCEEDED',
      cursor,
      { element: label, max: element.max, count },
      { source: element.owner },
    );
}

/** An element with no occurrence: its minimum, and its slices' minimums. */
export function checkAbsent(walk: WalkContext, element: ElementSchema, cursor: Cursor): void {
  checkCardinality(walk, element, 0, cursor);
  for (const slice of element.slices)
    checkCardinality(walk, slice, 0, cursor, `${element.path}:${slice.sliceName}`);
}
