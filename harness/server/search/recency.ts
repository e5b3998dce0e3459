/**
 * The default order of a type's resources: lastUpdated descending, then id ascending. Kept as an array
 * sorted ascending that writes append to (a new version is normally the newest), so ordering a large
 * match set is a filtered walk instead of a sort; an out-of-order write or many deletes cause one
 * re-sort at the next read.
 */

interface Entry {
  id: string;
  lastUpdated: string;
}

/** Ascending in this order = the default order reversed. */
function ascending(a: Entry, b: Entry): number {
  if (a.lastUpdated !== b.lastUpdated) return a.lastUpdated < b.lastUpdated ? -1 : 1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class RecencyOrder {
  private entries: (Entry | undefined)[] = [];
  private readonly position = new Map<string, number>();
  private sorted = true;
  private holes = 0;
  private last: Entry | undefined;

  put(id: string, lastUpdated: string): void {
    this.remove(id);
    const entry = { id, lastUpdated };
    if (this.last && ascending(this.last, entry) > 0) this.sorted = false;
    this.position.set(id, this.entries.length);
    this.entries.push(entry);
    this.last = entry;
  }

  remove(id: string): void {
    const at = this.position.get(id);
    if (at === undefined) return;
    this.entries[at] = undefined;
    this.position.delete(id);
    this.holes++;
  }

  /** Ids newest first, limited to `wanted`, the first `stop` of them at most. */
  newestFirst(wanted: ReadonlySet<string>, stop = wanted.size): string[] {
    this.compact();
    const out: string[] = [];
    const limit = Math.min(stop, wanted.size);
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const entry = this.entries[i];
      if (entry && wanted.has(entry.id)) out.push(entry.id);
    }
    return out;
  }

  private compact(): void {
    if (this.sorted && this.holes * 2 <= this.entries.length) return;
    const live = this.entries.filter((e): e is Entry => e !== undefined);
    if (!this.sorted) live.sort(ascending);
    this.entries = live;
    this.position.clear();
    live.forEach((entry, i) => this.position.set(entry.id, i));
    this.holes = 0;
    this.sorted = true;
    this.last = live.at(-1);
  }
}

/** The default order for a few ids: sorting them directly beats walking the whole type. */
export function sortByRecency(ids: Iterable<string>, lastUpdated: ReadonlyMap<string, string>): string[] {
  return [...ids]
    .map((id) => ({ id, lastUpdated: lastUpdated.get(id) ?? '' }))
    .sort((a, b) => ascending(b, a))
    .map((e) => e.id);
}
