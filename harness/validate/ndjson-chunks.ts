/**
 * NDJSON in chunks of whole lines. A reader cuts the byte stream into chunks of about a megabyte that
 * end at a line break, each knowing the number of its first line; whoever validates a chunk splits it
 * into lines. The reading thread does not decode the lines, and a chunk owns its buffer, so it can be
 * handed to a worker thread without a copy: the thread that reads a file of any size only ever holds
 * a few chunks.
 */
import { lineInShard, type Shard } from './shard.js';

/** Whole lines of an NDJSON input, from line `firstLine` on. */
export interface NdjsonChunk {
  file: string;
  firstLine: number;
  /** A view from the start of an ArrayBuffer nothing else uses: it can be transferred. */
  data: Uint8Array;
}

/** One non-blank line of a chunk, in the shard. */
export interface NdjsonLine {
  /** 1-based line number in the input. */
  index: number;
  text: string;
  /** The line's bytes, its line break included. */
  bytes: number;
}

export const CHUNK_BYTES = 1 << 20;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

function countNewlines(data: Uint8Array): number {
  let count = 0;
  for (let at = data.indexOf(NEWLINE); at !== -1; at = data.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/**
 * Buffers for chunks, for reuse. A chunk's buffer is given back once its lines are validated (a worker
 * hands it back), so a run reads into the same few megabytes instead of leaving a buffer per chunk for
 * the collector: the heap's external memory stays flat.
 */
export class ChunkBuffers {
  private readonly free: ArrayBuffer[] = [];

  constructor(
    readonly size = CHUNK_BYTES,
    private readonly keep = 16,
  ) {}

  /** A buffer of at least `minimum` bytes: a kept one when it fits. */
  take(minimum: number): Uint8Array {
    if (minimum > this.size) return new Uint8Array(minimum);
    return new Uint8Array(this.free.pop() ?? new ArrayBuffer(this.size));
  }

  give(buffer: ArrayBuffer): void {
    // A buffer already transferred elsewhere has length 0, and a long line's buffer is not kept.
    if (buffer.byteLength === this.size && this.free.length < this.keep) this.free.push(buffer);
  }
}

/** Reads up to `length` bytes into `target` at `offset`; 0 at the end of the input. */
export type ReadInto = (target: Uint8Array, offset: number, length: number) => Promise<number>;

/** Reading from a stream's pieces (stdin), copying each into the reader's buffers. */
export function readIntoFromPieces(pieces: AsyncIterator<Uint8Array>): PiecesReader {
  let piece: Uint8Array = new Uint8Array(0);
  let pending: Promise<IteratorResult<Uint8Array>> | undefined;
  const nextPiece = () => (pending ??= pieces.next());
  const read: ReadInto = async (target, offset, length) => {
    while (piece.length === 0) {
      const next = await nextPiece();
      pending = undefined;
      if (next.done) return 0;
      piece = next.value;
    }
    const taken = Math.min(length, piece.length);
    target.set(piece.subarray(0, taken), offset);
    piece = piece.subarray(taken);
    return taken;
  };
  const moreSoon = (withinMs: number): Promise<boolean> => {
    if (piece.length > 0) return Promise.resolve(true);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), withinMs)));
    // An end or a failure counts as news: the next read meets it.
    const news = nextPiece().then(
      () => true,
      () => true,
    );
    return Promise.race([news, late]).finally(() => clearTimeout(timer));
  };
  return { read, moreSoon };
}

/** A stream's reader, which can also tell whether more input is coming right away. */
export interface PiecesReader {
  read: ReadInto;
  /** Whether more input (or its end) comes within `withinMs`: false when the producer pauses. */
  moreSoon(withinMs: number): Promise<boolean>;
}

/** How long a stream may be quiet before the whole lines it has sent are validated. */
export const QUIET_MS = 100;

/**
 * Cuts an input into chunks of whole lines, each filling a buffer unless the input ends (a line longer
 * than a buffer doubles the buffer until it fits, and the lines after it fill the rest). The last line
 * needs no line break. Each chunk is read straight into its buffer; only the start of the line carried
 * over to the next chunk is copied. A read that fails still yields the whole lines read before it.
 * `moreSoon` (streams): when the producer pauses, the whole lines it has sent go out at once.
 */
export async function* chunkNdjson(
  read: ReadInto,
  file: string,
  buffers = new ChunkBuffers(),
  options: { moreSoon?: () => Promise<boolean> } = {},
): AsyncGenerator<NdjsonChunk> {
  let carry: Uint8Array = new Uint8Array(0);
  let nextLine = 1;
  const chunk = (data: Uint8Array): NdjsonChunk => {
    const made = { file, firstLine: nextLine, data };
    nextLine += countNewlines(data);
    return made;
  };
  for (;;) {
    const buffer = buffers.take(carry.length < buffers.size / 2 ? buffers.size : carry.length * 2);
    buffer.set(carry);
    let filled = carry.length;
    let ended = false;
    while (filled < buffer.length) {
      let got: number;
      try {
        got = await read(buffer, filled, buffer.length - filled);
      } catch (error) {
        // The whole lines read before the failure are still validated; then the failure is told.
        const lastBreak = buffer.subarray(0, filled).lastIndexOf(NEWLINE);
        if (lastBreak !== -1) yield chunk(buffer.subarray(0, lastBreak + 1));
        throw error;
      }
      if (got === 0) {
        ended = true;
        break;
      }
      filled += got;
      // A stream (stdin) may pause for a long time: what has come is validated meanwhile.
      if (
        options.moreSoon &&
        buffer.subarray(carry.length, filled).includes(NEWLINE) &&
        !(await options.moreSoon())
      )
        break;
    }
    if (ended) {
      if (filled > 0) yield chunk(buffer.subarray(0, filled));
      return;
    }
    const lastBreak = buffer.subarray(0, filled).lastIndexOf(NEWLINE);
    if (lastBreak === -1) {
      carry = buffer.subarray(0, filled);
      continue;
    }
    carry = buffer.slice(lastBreak + 1, filled);
    yield chunk(buffer.subarray(0, lastBreak + 1));
  }
}

// A byte order mark inside the input is kept: the validator reads one at the start of a text itself.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Blank, for NDJSON: nothing but JSON white space (a line of other spaces is not JSON, so it is checked). */
export function isBlankLine(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text);
}

/**
 * The chunk's non-blank lines in the shard, as text. A byte order mark opening the input is dropped,
 * and so is the carriage return of a CRLF line break. Lines end at LF only: a lone CR is white space.
 */
export function* linesOfChunk(chunk: NdjsonChunk, shard: Shard): Generator<NdjsonLine> {
  const { data } = chunk;
  let start = 0;
  if (chunk.firstLine === 1 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) start = 3;
  for (let line = chunk.firstLine; start < data.length; line++) {
    const found = data.indexOf(NEWLINE, start);
    const next = found === -1 ? data.length : found + 1;
    let end = found === -1 ? data.length : found;
    if (end > start && data[end - 1] === CARRIAGE_RETURN) end--;
    if (lineInShard(shard, line)) {
      const text = decoder.decode(data.subarray(start, end));
      if (!isBlankLine(text)) yield { index: line, text, bytes: next - start };
    }
    start = next;
  }
}
