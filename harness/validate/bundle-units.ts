/**
 * Large Bundles in the validate pipeline: before validation a large Bundle document becomes its parts
 * (bundle-split.ts), each a document of its own; after validation each part's result becomes one result
 * per entry (so progress, the summary and the report count entries), and once the Bundle's last part is
 * back, one result for the Bundle itself with its own issues, each said once.
 */
import { bundleLayout } from './bundle-layout.js';
import { BundleParts, BundleRun, splits } from './bundle-split.js';
import {
  isFailure,
  isLargeDocument,
  type InputDocument,
  type InputFailure,
  type InputItem,
  type LargeDocument,
} from './inputs.js';
import type { ValidatedUnit } from './workers.js';

/**
 * The inputs, with each large document (read as bytes) replaced by its parts when it is a Bundle of a
 * type validated in parts, else by its decoded text.
 */
export async function* splitLargeBundles(
  items: AsyncIterable<InputItem | LargeDocument | InputFailure>,
  profiles: readonly string[],
): AsyncGenerator<InputItem | InputFailure> {
  for await (const item of items) {
    if (isFailure(item) || !isLargeDocument(item)) {
      yield item;
      continue;
    }
    const layout = bundleLayout(item.data);
    if (!layout || !splits(layout, item.data.length, profiles)) {
      // The validator reads a BOM itself, and counts columns from after it.
      yield { file: item.file, text: item.data.toString('utf8'), bytes: item.bytes };
      continue;
    }
    const parts = new BundleParts(item.data, layout);
    const run = new BundleRun(item.file, parts);
    const duplicates = parts.duplicatesBundle();
    let previous: InputDocument | undefined;
    for (const part of parts.parts()) {
      if (previous) yield previous;
      previous = {
        file: item.file,
        text: '',
        encoded: part.data,
        bytes: part.bytes,
        bundle: { run, part, closes: false },
      };
    }
    if (previous && !duplicates && previous.bundle) previous.bundle.closes = true;
    if (previous) yield previous;
    if (duplicates) yield { file: item.file, text: duplicates, bytes: 0, bundle: { run, closes: true } };
  }
}

/** A validated unit as the results people see: a part as its entries (then the Bundle), others as they are. */
export function* unitResults(unit: ValidatedUnit): Generator<ValidatedUnit> {
  const of = unit.bundle;
  if (!of) {
    yield unit;
    return;
  }
  const { run } = of;
  if (of.part) {
    const { byEntry, bundle } = run.parts.placeIssues(of.part, unit.issues);
    run.addBundleIssues(bundle);
    for (let k = 0; k < of.part.own; k++) {
      const index = of.part.first + k;
      const entry = run.parts.layout.entries[index];
      yield {
        file: unit.file,
        resourceType: entry?.resourceType ?? '(entry without resource)',
        ...(entry?.resourceType && entry.id ? { identity: `${entry.resourceType}/${entry.id}` } : {}),
        issues: byEntry.get(index) ?? [],
        bytes: k === 0 ? unit.bytes : 0,
      };
    }
  } else run.addBundleIssues(run.parts.bdl7(unit.issues));
  if (of.closes) yield { file: unit.file, resourceType: 'Bundle', issues: run.bundleIssues(), bytes: 0 };
}
