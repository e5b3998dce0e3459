/**
 * The walk's side of slicing: each occurrence of a sliced element is given the slice it matches (the
 * matching itself is slicing.ts), closed and openAtEnd rules and slice order are checked, and every
 * slice's cardinality counted. An item that matches no slice is reported with the slices that came close;
 * one that matches two slices (neither a reslice of the other) is ambiguous, and keeps the first.
 */
import { checkCardinality } from './cardinality.js';
import type { ElementSchema } from './schema.js';
import type { SliceCandidate } from './slicing.js';
import type { Cursor, Item, ResourceScope, WalkContext } from './walk-context.js';

/** Assigns each item to the slice it matches, and checks the slicing rules and slice cardinalities. */
export function assignSlices(
  walk: WalkContext,
  element: ElementSchema,
  items: Item[],
  cursor: Cursor,
  scope: ResourceScope,
): Map<Item, ElementSchema> {
  const assignment = new Map<Item, ElementSchema>();
  const slicing = element.slicing;
  if (!slicing) return assignment;
  const counts = new Map<ElementSchema, number>();
  let lastSliceIndex = -1;
  let unmatchedSeen = false;
  for (const item of items) {
    const candidate: SliceCandidate = { value: item.value, type: item.type };
    const reasons: (() => string)[] = [];
    let found: ElementSchema | undefined;
    for (const slice of element.slices) {
      const verdict = walk.services.slices.matches(candidate, slice, slicing, (value, profile) =>
        walk.conforms(value, profile, scope),
      );
      if (verdict.unsupported) {
        walk.report('SLICE_DISCRIMINATOR_UNSUPPORTED', item.cursor, {
          type: slicing.discriminators.map((d) => d.type).join(','),
          path: slicing.discriminators.map((d) => d.path).join(','),
          element: element.path,
          detail: verdict.unsupported,
        });
        continue;
      }
      if (verdict.match) {
        if (!found) found = slice;
        else {
          // A reslice (`a/b`) of the slice already matched refines it; any other second match is ambiguous.
          const first = found.sliceName ?? '';
          const second = slice.sliceName ?? '';
          if (second.startsWith(`${first}/`)) found = slice;
          else if (!first.startsWith(`${second}/`))
            walk.report(
              'SLICE_MATCH_MULTIPLE',
              item.cursor,
              { element: element.path, first, second },
              { source: element.owner },
            );
        }
        continue;
      }
      if (!found && verdict.reason) reasons.push(verdict.reason);
    }
    if (!found) {
      const detail =
        reasons.length > 0
          ? `. Closest: ${reasons
              .slice(0, 3)
              .map((reason) => reason())
              .join('; ')}`
          : '';
      // Closed slicing refuses the item; open slicing allows it, and says so in case a slice was meant.
      walk.report(
        slicing.rules === 'closed' ? 'SLICE_NO_MATCH' : 'SLICE_NO_MATCH_OPEN',
        item.cursor,
        { element: element.path, detail },
        { source: element.owner },
      );
      unmatchedSeen = true;
      continue;
    }
    if (slicing.rules === 'openAtEnd' && unmatchedSeen)
      walk.report('SLICE_OPEN_AT_END', item.cursor, { element: element.path });
    const sliceIndex = element.slices.indexOf(found);
    if (slicing.ordered && sliceIndex < lastSliceIndex) {
      walk.report('SLICE_ORDER', item.cursor, {
        slice: found.sliceName ?? '',
        previous: element.slices[lastSliceIndex]?.sliceName ?? '',
        element: element.path,
      });
    }
    lastSliceIndex = Math.max(lastSliceIndex, sliceIndex);
    assignment.set(item, found);
    counts.set(found, (counts.get(found) ?? 0) + 1);
  }
  for (const slice of element.slices)
    checkCardinality(walk, slice, counts.get(slice) ?? 0, cursor, `${element.path}:${slice.sliceName}`);
  return assignment;
}
