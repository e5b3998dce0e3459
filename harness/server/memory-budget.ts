/**
 * The server's memory budget: what its JavaScript heap holds plus the memory outside it (the stored
 * resources' texts live in off-heap slabs). Above the budget, writes are refused (503 with Retry-After)
 * while reads go on, so client writes can never drive the process out of memory; a write is also
 * refused when the body it brings, once parsed, would carry the total over. Measuring costs a quarter of
 * a microsecond (V8's heap statistics), so it is done for every write.
 */
import { getHeapStatistics } from 'node:v8';

/** The default budget's share of V8's heap limit. */
const DEFAULT_SHARE = 0.85;
/** A body takes about this many times its size in memory while it is parsed, checked and stored. */
const BODY_EXPANSION = 4;

/** A refusal this recent still makes the server report itself not ready (memory comes and goes with GC). */
const RECENT_REFUSAL_MS = 10_000;

export class MemoryBudget {
  private lastRefusal = -Infinity;

  constructor(
    readonly maxBytes: number = defaultMemoryBudget(),
    private readonly measure: () => number = memoryInUse,
  ) {}

  /** Why a write bringing `bodyBytes` is refused now, or undefined when it fits. */
  refusal(bodyBytes: number): string | undefined {
    const inUse = this.measure();
    if (inUse + bodyBytes * BODY_EXPANSION <= this.maxBytes) return undefined;
    this.lastRefusal = performance.now();
    return (
      `The server is at its memory budget (${mebibytes(inUse)} of ${mebibytes(this.maxBytes)} MiB in use); ` +
      'writes are refused until memory is freed, reads go on. Start the server with more memory ' +
      '(--max-memory, node --max-old-space-size) or delete data'
    );
  }

  /**
   * In use, and the budget, in bytes; `ok` while under it and no write was refused in the last seconds
   * (what is in use rises and falls with the collector: one reading alone would flicker).
   */
  state(): { inUse: number; maxBytes: number; ok: boolean } {
    const inUse = this.measure();
    const refusedRecently = performance.now() - this.lastRefusal < RECENT_REFUSAL_MS;
    return { inUse, maxBytes: this.maxBytes, ok: inUse <= this.maxBytes && !refusedRecently };
  }
}

export function defaultMemoryBudget(): number {
  return Math.floor(getHeapStatistics().heap_size_limit * DEFAULT_SHARE);
}

function memoryInUse(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
}

const mebibytes = (bytes: number) => Math.round(bytes / (1 << 20));
