/**
 * A set of ordinals in a typed array: four bytes a member where a Set takes about thirty, for the
 * postings many resources share (a gender, a status, a city).
 *
 * The array is a sorted prefix (binary search) and a short unsorted tail. New resources get the next
 * ordinal, so adding is nearly always an append to the prefix; an older ordinal (an update that moved a
 * resource to this key) goes to the tail, which is merged into the prefix when it fills. A removal only
 * marks the member (an update that keeps the key removes and adds it back, which then just unmarks
 * it); the marks are swept when they grow. Every operation is logarithmic or amortised linear in the
 * tail, never a sort of the whole list per write.
 */
/** Ordinals of resources of one type: a Set, an OrdinalList, or a view that answers the same questions. */
export interface OrdinalSet {
  readonly size: number;
  has(ordinal: number): boolean;
  [Symbol.iterator](): Iterator<number>;
}

export const EMPTY_ORDINALS: OrdinalSet = new Set<number>();

/** Tail members at most before a merge: `has` scans the tail, so it stays short. */
const TAIL = 64;

export class OrdinalList implements OrdinalSet {
  private items = new Int32Array(16);
  private length = 0;
  /** items[0, sorted) ascending without repeats; items[sorted, length) the tail. */
  private sorted = 0;
  /** Members still in `items` but removed. */
  private removed: Set<number> | undefined;

  constructor(first: Iterable<number>) {
    for (const ordinal of first) this.add(ordinal);
  }

  get size(): number {
    return this.length - (this.removed?.size ?? 0);
  }

  add(ordinal: number): void {
    if (this.removed?.delete(ordinal)) return;
    const tailEmpty = this.sorted === this.length;
    if (tailEmpty && (this.length === 0 || ordinal > this.items[this.length - 1]!)) {
      this.append(ordinal);
      this.sorted = this.length;
      return;
    }
    if (this.findSorted(ordinal) >= 0 || this.findTail(ordinal) >= 0) return;
    this.append(ordinal);
    if (this.length - this.sorted > TAIL) this.merge();
  }

  delete(ordinal: number): boolean {
    if (this.removed?.has(ordinal)) return false;
    const inTail = this.findTail(ordinal);
    if (inTail >= 0) {
      this.items[inTail] = this.items[this.length - 1]!;
      this.length--;
      return true;
    }
    if (this.findSorted(ordinal) < 0) return false;
    (this.removed ??= new Set()).add(ordinal);
    if (this.removed.size > Math.max(TAIL, this.length >>> 3)) this.merge();
    return true;
  }

  has(ordinal: number): boolean {
    if (this.removed?.has(ordinal)) return false;
    return this.findSorted(ordinal) >= 0 || this.findTail(ordinal) >= 0;
  }

  *[Symbol.iterator](): Iterator<number> {
    const { items, length, removed } = this;
    for (let i = 0; i < length; i++) {
      const ordinal = items[i]!;
      if (!removed?.has(ordinal)) yield ordinal;
    }
  }

  /** The only member, when one is left (the posting then shrinks back to a number). */
  only(): number | undefined {
    if (this.size !== 1) return undefined;
    for (const ordinal of this) return ordinal;
    return undefined;
  }

  private append(ordinal: number): void {
    if (this.length === this.items.length) {
      const next = new Int32Array(this.length * 2);
      next.set(this.items);
      this.items = next;
    }
    this.items[this.length++] = ordinal;
  }

  private findSorted(ordinal: number): number {
    const { items } = this;
    let low = 0;
    let high = this.sorted - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = items[middle]!;
      if (value === ordinal) return middle;
      if (value < ordinal) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  private findTail(ordinal: number): number {
    for (let i = this.sorted; i < this.length; i++) if (this.items[i] === ordinal) return i;
    return -1;
  }

  /** Sorts the tail into the prefix, dropping removed members on the way. */
  private merge(): void {
    const tail = Array.from(this.items.subarray(this.sorted, this.length)).sort((a, b) => a - b);
    const merged = new Int32Array(Math.max(16, this.length + (this.length >>> 2) + TAIL));
    let out = 0;
    let i = 0;
    let j = 0;
    const keep = (ordinal: number) => {
      if (!this.removed?.has(ordinal)) merged[out++] = ordinal;
    };
    while (i < this.sorted || j < tail.length) {
      if (j === tail.length || (i < this.sorted && this.items[i]! < tail[j]!)) keep(this.items[i++]!);
      else keep(tail[j++]!);
    }
    this.items = merged;
    this.length = out;
    this.sorted = out;
    this.removed = undefined;
  }
}
