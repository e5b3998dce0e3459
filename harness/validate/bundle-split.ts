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

/**
 * The young generation of workers that validate Bundle parts. A part's tree lives while its entries
 * are validated; in NDJSON's small young generation it outlives two scavenges and is promoted, and
 * the old generation's collections then take a fifth of the workers' time. On 100,000 resources:
 * 16 MB 29 s, 32 MB 25 s, 64 MB 21 s (peak RSS 0.78, 0.82, 0.92 GB for a 302 MB file; 2 cores).
 */
export const PART_WORKER_YOUNG_GENERATION_MB = 64;

/** A Bundle at least this large (in bytes) is validated in parts. */
export const SPLIT_MIN_BYTES = 2 << 20;
/**
 * The entries of one part, at most, and their characters, about. Small parts keep each part's tree
 * young in the worker's heap (collected cheaply, as NDJSON lines are): on 100,000 resources, parts of
 * 400 entries / 256 KB took 32-35 s, parts of 64 / 32 KB 27-30 s (same run, 2 cores).
 */
const PART_ENTRIES = 64;
const PART_BYTES = 32 << 10;

const WHOLE_BUNDLE_TYPES = new Set(['document', 'message']);
const BDL_7 = 'http://hl7.org/fhir/StructureDefinition/Bundle#bdl-7';
const ENTRY_EXPRESSION = /^Bundle\.entry\[(\d+)\]/;
const REFERENCE_KEY = Buffer.from('"reference"');
const COMMA = Buffer.from(',');
const NEWLINE = Buffer.from('\n');
const TYPE_ID = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Whether a Bundle of this layout is validated in parts. */
export function splits(layout: BundleLayout, bytes: number, profiles: readonly string[]): boolean {
  return (
    bytes >= SPLIT_MIN_BYTES &&
    layout.entries.length > 1 &&
    !layout.profiled &&
    profiles.length === 0 &&
    !WHOLE_BUNDLE_TYPES.has(layout.type)
  );
}

/** One part: its JSON, and how its issues find their way back. */
export interface BundlePart {
  /** The part as UTF-8 JSON: the Bundle with these entries only. */
  data: Buffer;
  /** Index in the whole Bundle of the part's first own entry. */
  first: number;
  /** How many of the part's entries are its own: those from `first` on. */
  own: number;
  /**
   * Index in the whole Bundle of each of the part's entries, in the part's order: the order of the
   * whole Bundle (borrowed entries before and after its own), since resolution takes the first match.
   */
  indexes: number[];
  /** Bytes of the file the part accounts for (its own entries; the first and last also the rest). */
  bytes: number;
  /** Chunk line where each of the part's entries (as `indexes`) starts. */
  lines: number[];
  /** Chunk line where the text after the entry array starts. */
  suffixLine: number;
}

/** The Bundle's shared pieces and the index that finds the entries a reference may resolve to. */
export class BundleParts {
  private readonly prefix: Buffer;
  private readonly prefixLines: number;
  private readonly suffix: Buffer;
  private readonly byFullUrl = new Map<string, number[]>();
  private readonly byTypeId = new Map<string, number[]>();
  /** Where the Bundle's `{` is: the Bundle's own place. */
  private readonly root: { line: number; column: number };

  private readonly bytes: Buffer;

  constructor(
    bytes: Uint8Array,
    readonly layout: BundleLayout,
  ) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.prefix = this.bytes.subarray(0, layout.open + 1);
    this.suffix = this.bytes.subarray(layout.close);
    const prefix = this.prefix.toString('utf8');
    this.prefixLines = countNewlines(prefix) + 1;
    const brace = prefix.indexOf('{');
    const before = prefix.slice(0, brace);
    this.root = { line: countNewlines(before) + 1, column: brace - before.lastIndexOf('\n') };
    layout.entries.forEach((entry, index) => {
      if (entry.fullUrl) push(this.byFullUrl, entry.fullUrl, index);
      if (entry.resourceType && entry.id) push(this.byTypeId, `${entry.resourceType}/${entry.id}`, index);
    });
  }

  /** The parts, in order: runs of entries up to PART_ENTRIES or PART_BYTES each. */
  *parts(): Generator<BundlePart> {
    const entries = this.layout.entries;
    let first = 0;
    while (first < entries.length) {
      let last = first;
      let bytes = 0;
      while (last < entries.length && last - first < PART_ENTRIES && (bytes < PART_BYTES || last === first)) {
        const entry = entries[last] as EntrySpan;
        bytes += entry.end - entry.start + 1;
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
    // Bytes, not a string: handed to the worker without a copy, they never weigh on this thread's heap.
    const pieces: Uint8Array[] = [this.prefix];
    const lines: number[] = [];
    let line = this.prefixLines;
    for (const index of indexes) {
      const entry = this.layout.entries[index] as EntrySpan;
      if (lines.length > 0) pieces.push(COMMA);
      line++;
      lines.push(line);
      pieces.push(NEWLINE, this.bytes.subarray(entry.start, entry.end));
      line += entry.newlines;
    }
    pieces.push(NEWLINE, this.suffix);
    // The parts' bytes add up to the file's: the first also takes the prefix, the last the suffix.
    const entries = this.layout.entries;
    const from = first === 0 ? 0 : (entries[first] as EntrySpan).start;
    const to = end === entries.length ? this.bytes.length : (entries[end] as EntrySpan).start;
    return {
      data: Buffer.concat(pieces),
      first,
      own: end - first,
      indexes,
      bytes: to - from,
      lines,
      suffixLine: line + 1,
    };
  }

  /** Entries outside [first, end) that a reference in it may resolve to. */
  private borrowed(first: number, end: number): number[] {
    const found = new Set<number>();
    const bytes = this.bytes;
    const to = (this.layout.entries[end - 1] as EntrySpan).end;
    for (
      let at = bytes.indexOf(REFERENCE_KEY, (this.layout.entries[first] as EntrySpan).start);
      at !== -1 && at < to;
      at = bytes.indexOf(REFERENCE_KEY, at + REFERENCE_KEY.length)
    ) {
      const reference = stringValueAfter(bytes, at + REFERENCE_KEY.length);
      if (reference === undefined) continue;
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

/** The string value after a key (`: "..."`), decoded; undefined when what follows is not one. */
function stringValueAfter(bytes: Buffer, at: number): string | undefined {
  let i = at;
  while (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 10 || bytes[i] === 13) i++;
  if (bytes[i++] !== 58) return undefined; // ':'
  while (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 10 || bytes[i] === 13) i++;
  if (bytes[i] !== 34) return undefined; // '"'
  for (let end = bytes.indexOf(34, i + 1); end !== -1; end = bytes.indexOf(34, end + 1)) {
    let backslashes = 0;
    for (let j = end - 1; bytes[j] === 92; j--) backslashes++;
    if (backslashes % 2 === 1) continue;
    const raw = bytes.toString('utf8', i, end + 1);
    return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }
  return undefined;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
