/**
 * The default order of a type's resources: lastUpdated descending, then id ascending. Kept as a list of
 * ordinals sorted ascending that writes append to (a new version is normally the newest), so ordering a
 * large match set is a filtered walk instead of a sort; an out-of-order write or many deletes cause one
 * re-sort at the next read. Typed arrays, so a million resources cost a few megabytes.
 */
import type { OrdinalSet } from './ordinal-list.js';

/** What the order needs to know of a resource: its lastUpdated instant and its id. */
export interface RecencyKeys {
  instant(ordinal: number): number;
  id(ordinal: number): string;
}

/** Negative when `a` comes before `b` ascending (= after it in the default order). */
function ascending(keys: RecencyKeys, a: number, b: number): number {
  const x = keys.instant(a);
  const y = keys.instant(b);
  if (x !== y) return x < y ? -1 : 1;
  const p = keys.id(a);
  const q = keys.id(b);
  return p < q ? 1 : p > q ? -1 : 0;
}

const HOLE = -1;

export class RecencyOrder {
  /** Ordinals ascending, with holes (HOLE) where an entry was removed; `length` of them in use. */
  private entries = new Int32Array(1024);
  private length = 0;
  /** By ordinal: its place in `entries` plus one (0: not in the order). */
  private position = new Int32Array(1024);
  private sorted = true;
  private holes = 0;
  /**
   * The ordinal appended last, even if removed since: while each append sorts at or after the one
   * before, the entries without their holes stay sorted.
   */
  private lastPut = HOLE;

  constructor(private readonly keys: RecencyKeys) {}

  put(ordinal: number): void {
    this.remove(ordinal);
    if (this.lastPut !== HOLE && ascending(this.keys, this.lastPut, ordinal) > 0) this.sorted = false;
    this.lastPut = ordinal;
    if (this.length === this.entries.length) this.entries = grown(this.entries, this.length * 2);
    if (ordinal >= this.position.length) this.position = grown(this.position, ordinal * 2 + 1);
    this.entries[this.length] = ordinal;
    this.position[ordinal] = ++this.length;
  }

  remove(ordinal: number): void {
    const at = ordinal < this.position.length ? this.position[ordinal]! : 0;
    if (at === 0) return;
    this.entries[at - 1] = HOLE;
    this.position[ordinal] = 0;
    this.holes++;
  }

  /** Ordinals newest first, limited to `wanted`, the first `stop` of them at most. */
  newestFirst(wanted: OrdinalSet, stop = wanted.size): number[] {
    this.compact();
    const out: number[] = [];
    const limit = Math.min(stop, wanted.size);
    for (let i = this.length - 1; i >= 0 && out.length < limit; i--) {
      const ordinal = this.entries[i]!;
      if (ordinal !== HOLE && wanted.has(ordinal)) out.push(ordinal);
    }
    return out;
  }

  private compact(): void {
    if (this.sorted && this.holes * 2 <= this.length) return;
    const live: number[] = [];
    for (let i = 0; i < this.length; i++) if (this.entries[i] !== HOLE) live.push(this.entries[i]!);
    if (!this.sorted) live.sort((a, b) => ascending(this.keys, a, b));
    this.entries = new Int32Array(Math.max(1024, live.length * 2));
    this.entries.set(live);
    this.length = live.length;
    this.position.fill(0);
    live.forEach((ordinal, i) => (this.position[ordinal] = i + 1));
    this.holes = 0;
    this.sorted = true;
    this.lastPut = live.at(-1) ?? HOLE;
  }
}

/** A few ordinals in the default order: sorting them directly beats walking the whole type. */
export function sortByRecency(ordinals: Iterable<number>, keys: RecencyKeys): number[] {
  return [...ordinals].sort((a, b) => ascending(keys, b, a));
}

export function grown<T extends Int32Array | Float64Array>(array: T, size: number): T {
  const next = new (array.constructor as new (size: number) => T)(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}
