/**
 * `--shard I/N`: the I-th (1-based) of N deterministic parts of the input, so a CI matrix spreads a
 * large set over machines. Files are dealt out by their position in the sorted list of inputs, NDJSON
 * lines by line number, both modulo N: the shards never overlap and together hold everything.
 */

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** The whole input: one shard of one. */
export const WHOLE: Shard = { index: 1, count: 1 };

export function parseShard(text: string): Shard | Error {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    return new Error(`--shard must be I/N with 1 <= I <= N (such as 2/4), not '${text}'`);
  return { index, count };
}

/** Whether the item at this 0-based position (a file) or 1-based line (NDJSON) is in the shard. */
export function inShard(shard: Shard, position: number): boolean {
  return position % shard.count === shard.index - 1;
}

/** NDJSON lines are 1-based: line 1 goes to shard 1. */
export function lineInShard(shard: Shard, line: number): boolean {
  return inShard(shard, line - 1);
}
