/**
 * A large Bundle validated entry by entry, with what the whole Bundle would have said.
 *
 * The Bundle's text is laid out once (bundle-layout.ts) and cut into parts: each part is the Bundle
 * with only some of its entries (the prefix and suffix of the text kept as written, so the Bundle's own
 * elements are judged as they are), validated by the same validator as any document, in parallel. What
 * depends on other entries is given to each part or checked over the whole:
 * - references: a part also carries every entry its own entries' references may resolve to (by fullUrl,
 *   or by type and id), so resolution, target types and target profiles are judged as in the whole
 *   Bundle; what is said about those borrowed entries is dropped (their own part says it);
 * - fullUrl uniqueness (bdl-7): checked over all entries in one pass of a set, and said by validating
 *   only the entries that share a fullUrl;
 * - the Bundle's own issues (its elements, invariants over all entries) are said once.
 * Issues come back with their entry's index in the whole Bundle and their line and column in the file.
 * Documents and messages (whose rules tie every entry to the first) and Bundles with a profile of their
 * own (which may count entries) are validated whole.
 */
import type { ValidationIssue } from '../validator/index.js';
import type { BundleLayout, EntrySpan } from './bundle-layout.js';

/** A Bundle at least this large (in characters) is validated in parts. */
export const SPLIT_MIN_CHARS = 2 << 20;
/** The entries of one part, at most, and their characters, about. */
const PART_ENTRIES = 400;
const PART_CHARS = 256 << 10;

const WHOLE_BUNDLE_TYPES = new Set(['document', 'message']);
const BDL_7 = 'http://hl7.org/fhir/StructureDefinition/Bundle#bdl-7';
const ENTRY_EXPRESSION = /^Bundle\.entry\[(\d+)\]/;
const REFERENCE = /"reference"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
const TYPE_ID = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Whether a Bundle of this layout is validated in parts. */
export function splits(layout: BundleLayout, chars: number, profiles: readonly string[]): boolean {
  return (
    chars >= SPLIT_MIN_CHARS &&
    layout.entries.length > 1 &&
    !layout.profiled &&
    profiles.length === 0 &&
    !WHOLE_BUNDLE_TYPES.has(layout.type)
  );
}

/** One part: its text, and how its issues find their way back. */
export interface BundlePart {
  text: string;
  /** Index in the whole Bundle of the part's first own entry. */
  first: number;
  /** How many of the part's entries are its own: those from `first` on. */
  own: number;
  /**
   * Index in the whole Bundle of each of the part's entries, in the part's order: the order of the
   * whole Bundle (borrowed entries before and after its own), since resolution takes the first match.
   */
  indexes: number[];
  /** Characters of the file the part accounts for (its own entries; the last part also the rest). */
  chars: number;
  /** Chunk line where each of the part's entries (as `indexes`) starts. */
  lines: number[];
  /** Chunk line where the text after the entry array starts. */
  suffixLine: number;
}

/** The Bundle's shared pieces and the index that finds the entries a reference may resolve to. */
export class BundleParts {
  private readonly prefix: string;
  private readonly prefixLines: number;
  private readonly suffix: string;
  private readonly byFullUrl = new Map<string, number[]>();
  private readonly byTypeId = new Map<string, number[]>();
  /** Where the Bundle's `{` is: the Bundle's own place. */
  private readonly root: { line: number; column: number };

  constructor(
    private readonly text: string,
    readonly layout: BundleLayout,
  ) {
    this.prefix = text.slice(0, layout.open + 1);
    this.suffix = text.slice(layout.close);
    this.prefixLines = countNewlines(this.prefix) + 1;
    const brace = text.indexOf('{');
    const before = text.slice(0, brace);
    this.root = { line: countNewlines(before) + 1, column: brace - before.lastIndexOf('\n') };
    layout.entries.forEach((entry, index) => {
      if (entry.fullUrl) push(this.byFullUrl, entry.fullUrl, index);
      if (entry.resourceType && entry.id) push(this.byTypeId, `${entry.resourceType}/${entry.id}`, index);
    });
  }

  /** The parts, in order: runs of entries up to PART_ENTRIES or PART_CHARS each. */
  *parts(): Generator<BundlePart> {
    const entries = this.layout.entries;
    let first = 0;
    while (first < entries.length) {
      let last = first;
      let chars = 0;
      while (last < entries.length && last - first < PART_ENTRIES && (chars < PART_CHARS || last === first)) {
        const entry = entries[last] as EntrySpan;
        chars += entry.end - entry.start + 1;
        last++;
      }
      yield this.part(first, last);
      first = last;
    }
  }

  private part(first: number, end: number): BundlePart {
    const borrowed = this.borrowed(first, end);
    const indexes = [
      ...borrowed.filter((index) => index < first),
      ...Array.from({ length: end - first }, (_, k) => first + k),
      ...borrowed.filter((index) => index >= end),
    ];
    const pieces = [this.prefix];
    const lines: number[] = [];
    let line = this.prefixLines;
    for (const entry of indexes.map((index) => this.layout.entries[index] as EntrySpan)) {
      if (lines.length > 0) pieces.push(',');
      line++;
      lines.push(line);
      pieces.push('\n', this.text.slice(entry.start, entry.end));
      line += entry.newlines;
    }
    pieces.push('\n', this.suffix);
    // The parts' characters add up to the file's: the first also takes the prefix, the last the suffix.
    const entries = this.layout.entries;
    const from = first === 0 ? 0 : (entries[first] as EntrySpan).start;
    const to = end === entries.length ? this.text.length : (entries[end] as EntrySpan).start;
    const chars = to - from;
    return {
      text: pieces.join(''),
      first,
      own: end - first,
      indexes,
      chars,
      lines,
      suffixLine: line + 1,
    };
  }

  /** Entries outside [first, end) that a reference in it may resolve to. */
  private borrowed(first: number, end: number): number[] {
    const found = new Set<number>();
    const from = (this.layout.entries[first] as EntrySpan).start;
    const to = (this.layout.entries[end - 1] as EntrySpan).end;
    // The part's own text only: a search left to run on would cross the rest of the file every time.
    for (const match of this.text.slice(from, to).matchAll(REFERENCE)) {
      const raw = match[1] ?? '';
      const reference = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      const targets = [...(this.byFullUrl.get(reference.split('#')[0] ?? reference) ?? [])];
      const typeId = TYPE_ID.exec(reference);
      if (typeId) targets.push(...(this.byTypeId.get(`${typeId[1]}/${typeId[2]}`) ?? []));
      for (const index of targets) if (index < first || index >= end) found.add(index);
    }
    return [...found].sort((a, b) => a - b);
  }

  /**
   * A part's issues, split by the entry they are about (its index in the whole Bundle) and placed in
   * the file; issues about borrowed entries are dropped, the Bundle's own under `bundle`.
   */
  placeIssues(
    part: BundlePart,
    issues: readonly ValidationIssue[],
  ): { byEntry: Map<number, ValidationIssue[]>; bundle: ValidationIssue[] } {
    const byEntry = new Map<number, ValidationIssue[]>();
    const bundle: ValidationIssue[] = [];
    for (const item of issues) {
      const match = ENTRY_EXPRESSION.exec(item.expression);
      const placed = item.location ? { ...item, location: this.place(part, item.location) } : { ...item };
      if (!match) {
        if (item.id !== BDL_7) bundle.push(placed);
        continue;
      }
      const index = part.indexes[Number(match[1])] ?? -1;
      if (index < part.first || index >= part.first + part.own) continue;
      placed.expression = `Bundle.entry[${index}]${item.expression.slice(match[0].length)}`;
      // The one message that names another entry by its index (bundle-resolution.ts).
      if (item.id === 'REF_BUNDLE_POSSIBLE_MATCH')
        placed.text = item.text.replace(
          /^Entry (\d+)/,
          (_all, named: string) => `Entry ${part.indexes[Number(named)] ?? named}`,
        );
      push(byEntry, index, placed);
    }
    return { byEntry, bundle };
  }

  /** A line and column in a part's text, in the file. */
  private place(part: BundlePart, at: { line: number; column: number }): { line: number; column: number } {
    if (at.line <= this.prefixLines && (part.lines[0] === undefined || at.line < part.lines[0])) return at;
    if (at.line >= part.suffixLine) {
      const line = this.layout.closeLine + at.line - part.suffixLine;
      return {
        line,
        column: at.line === part.suffixLine ? this.layout.closeColumn + at.column - 1 : at.column,
      };
    }
    let k = part.lines.length - 1;
    while (k > 0 && (part.lines[k] as number) > at.line) k--;
    const entry = this.layout.entries[part.indexes[k] ?? 0] as EntrySpan;
    const start = part.lines[k] as number;
    return {
      line: entry.line + at.line - start,
      column: at.line === start ? entry.column + at.column - 1 : at.column,
    };
  }

  /**
   * fullUrl uniqueness over all entries (bdl-7): the entries that share a fullUrl (and, outside a
   * history, a version), as a small Bundle whose validation says it as the whole one would; undefined
   * when every fullUrl is unique.
   */
  duplicatesBundle(): string | undefined {
    if (this.layout.type === 'history') return undefined;
    const seen = new Map<string, number>();
    const duplicated = new Set<number>();
    this.layout.entries.forEach((entry, index) => {
      if (!entry.fullUrl) return;
      const key = `${entry.fullUrl}\u0000${entry.versionId ?? ''}`;
      const earlier = seen.get(key);
      if (earlier === undefined) seen.set(key, index);
      else duplicated.add(earlier).add(index);
    });
    if (duplicated.size === 0) return undefined;
    const entries = [...duplicated]
      .sort((a, b) => a - b)
      .map((index) => {
        const entry = this.layout.entries[index] as EntrySpan;
        return {
          fullUrl: entry.fullUrl,
          ...(entry.resourceType
            ? {
                resource: {
                  resourceType: entry.resourceType,
                  ...(entry.versionId ? { meta: { versionId: entry.versionId } } : {}),
                },
              }
            : {}),
        };
      });
    return JSON.stringify({ resourceType: 'Bundle', type: this.layout.type, entry: entries });
  }

  /** Of the issues of `duplicatesBundle()`, bdl-7's, placed at the Bundle. */
  bdl7(issues: readonly ValidationIssue[]): ValidationIssue[] {
    return issues
      .filter((item) => item.id === BDL_7)
      .map((item) => ({ ...item, expression: 'Bundle', location: this.root }));
  }
}

/** A Bundle being validated in parts: what comes back is gathered here until its last part. */
export class BundleRun {
  private readonly said = new Set<string>();
  private readonly issues: ValidationIssue[] = [];

  constructor(
    readonly file: string,
    readonly parts: BundleParts,
  ) {}

  /** The Bundle's own issues, each said once however many parts said it. */
  addBundleIssues(issues: readonly ValidationIssue[]): void {
    for (const item of issues) {
      const key = `${item.id}\u0000${item.expression}\u0000${item.text}`;
      if (this.said.has(key)) continue;
      this.said.add(key);
      this.issues.push(item);
    }
  }

  bundleIssues(): ValidationIssue[] {
    return this.issues;
  }
}

/** What a part document carries back through validation. */
export interface PartOfBundle {
  run: BundleRun;
  /** Absent for the fullUrl-uniqueness check's document. */
  part?: BundlePart;
  /** The Bundle's last unit: its own result follows. */
  closes: boolean;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
