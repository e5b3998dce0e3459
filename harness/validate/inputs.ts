/**
 * The command's inputs: files, folders (recursive: .json, .xml and .ndjson), NDJSON files and `-` for stdin,
 * resolved up front into a sorted list, then read in order. A plain file is one document; NDJSON is
 * read as chunks of whole lines (ndjson-chunks.ts), so a file of any size is never held whole.
 */
import { access, constants, open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import {
  ChunkBuffers,
  chunkNdjson,
  isBlankLine,
  QUIET_MS,
  readIntoFromPieces,
  type NdjsonChunk,
  type ReadInto,
} from './ndjson-chunks.js';
import { inShard, type Shard } from './shard.js';
import type { PartOfBundle } from './bundle-split.js';

export const STDIN_NAME = '<stdin>';

export type InputSource =
  | { kind: 'document' | 'ndjson'; path: string; display: string; size: number }
  | { kind: 'stdin'; display: typeof STDIN_NAME };

/** A whole file (or stdin) holding one document. */
export interface InputDocument {
  file: string;
  text: string;
  /** The bytes it covers in its input, for the progress bar. */
  bytes: number;
  /** A part of a large Bundle validated in parts (bundle-units.ts). */
  bundle?: PartOfBundle;
  /**
   * The document as UTF-8 bytes instead of `text` (then ''): a Bundle's part, handed to a worker without
   * a copy (documentText decodes it where it is validated).
   */
  encoded?: Buffer;
}

/** A document's text, decoded from its bytes when it came as bytes. */
export function documentText(document: InputDocument): string {
  return document.encoded ? document.encoded.toString('utf8') : document.text;
}

/** A document's size, in characters or bytes: what batching and the large-item limit weigh. */
export function documentSize(document: InputDocument): number {
  return document.encoded ? document.encoded.length : document.text.length;
}

/** What the inputs are read into, in order: documents, and NDJSON chunks (split, and their lines dealt to the shard, by whoever validates them). */
export type InputItem = InputDocument | NdjsonChunk;

/**
 * A document read as bytes and not decoded: large enough that it may be a Bundle validated in parts,
 * which never needs the whole text (bundle-units.ts decodes it whole only when it is not).
 */
export interface LargeDocument {
  file: string;
  data: Buffer;
  bytes: number;
}

export function isLargeDocument(item: object): item is LargeDocument {
  return 'data' in item && Buffer.isBuffer(item.data);
}

/** An input that could not be read once the run had started. */
export interface InputFailure {
  file: string;
  error: string;
}

const NDJSON = /\.ndjson$/i;
const DOCUMENT_FILE = /\.(json|xml)$/i;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file or folder';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    return error.message;
  }
  return String(error);
}

/** Paths shown to people and used as baseline keys: relative to the working folder, with `/`. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  return sep === '/' ? shown : shown.split(sep).join('/');
}

/**
 * Every .json, .xml and .ndjson file below a folder. Names starting with a dot are skipped (package indexes
 * such as .index.json are not resources), and symbolic links to folders are not followed (no cycles).
 */
async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, found);
    else if ((entry.isFile() || entry.isSymbolicLink()) && (DOCUMENT_FILE.test(path) || NDJSON.test(path))) {
      if (entry.isSymbolicLink() && !(await stat(path)).isFile()) continue;
      found.push(path);
    }
  }
}

/**
 * The inputs named on the command line, expanded and sorted by path (code points), duplicates removed.
 * A path that does not exist or cannot be read is an error: the run does not start.
 */
export async function resolveInputs(args: string[], cwd: string): Promise<InputSource[] | Error> {
  const files = new Set<string>();
  let stdin = false;
  for (const arg of args) {
    if (arg === '-') {
      stdin = true;
      continue;
    }
    const path = resolve(cwd, arg);
    try {
      const stats = await stat(path);
      if (stats.isDirectory()) {
        const found: string[] = [];
        await walk(path, found);
        for (const file of found) files.add(file);
      } else {
        await access(path, constants.R_OK);
        files.add(path);
      }
    } catch (error) {
      return new Error(`cannot read ${arg}: ${describe(error)}`);
    }
  }
  const sources: InputSource[] = stdin ? [{ kind: 'stdin', display: STDIN_NAME }] : [];
  const listed = await Promise.all(
    [...files].map(async (path) => ({
      kind: NDJSON.test(path) ? ('ndjson' as const) : ('document' as const),
      path,
      display: displayPath(path, cwd),
      size: (await stat(path)).size,
    })),
  );
  listed.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return [...sources, ...listed];
}

/** The total size of the inputs that have one (stdin has none), for the progress bar. */
export function totalBytes(sources: InputSource[]): number | undefined {
  if (sources.some((s) => s.kind === 'stdin')) return undefined;
  return sources.reduce((sum, s) => sum + (s.kind === 'stdin' ? 0 : s.size), 0);
}

/** A JSON document that is a resource on one line: what an NDJSON line looks like. */
function isOneLineObject(line: string): boolean {
  if (!line.trimStart().startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

async function* ndjsonUnits(
  read: ReadInto,
  file: string,
  buffers: ChunkBuffers,
  options: { moreSoon?: () => Promise<boolean> } = {},
): AsyncGenerator<NdjsonChunk | InputFailure> {
  try {
    yield* chunkNdjson(read, file, buffers, options);
  } catch (error) {
    yield { file, error: describe(error) };
  }
}

async function* ndjsonFileUnits(
  path: string,
  file: string,
  buffers: ChunkBuffers,
): AsyncGenerator<NdjsonChunk | InputFailure> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    yield { file, error: describe(error) };
    return;
  }
  try {
    yield* ndjsonUnits(
      async (target, offset, length) => (await handle.read(target, offset, length, null)).bytesRead,
      file,
      buffers,
    );
  } finally {
    await handle.close();
  }
}

const NEWLINE = 0x0a;

/** A stream in object mode (tests, `Readable.from`) may give strings. */
function asBytes(piece: Uint8Array | string): Uint8Array {
  return typeof piece === 'string' ? Buffer.from(piece) : piece;
}

/**
 * Stdin is NDJSON when its first non-blank line is a whole JSON object and another non-blank line
 * follows; otherwise it is one document. The bytes are held only until that is known, so NDJSON
 * streams.
 */
async function* stdinUnits(
  input: Readable,
  documentInShard: boolean,
  buffers: ChunkBuffers,
): AsyncGenerator<InputItem | InputFailure> {
  const pieces = (input as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let mode: 'undecided' | 'document' | 'ndjson' = 'undecided';
  let firstLineSeen = false;
  try {
    while (mode === 'undecided') {
      const next = await pieces.next();
      if (next.done) break;
      const piece = asBytes(next.value);
      held.push(piece);
      if (firstLineSeen) {
        if (hasContent(piece, 0)) mode = 'ndjson';
        continue;
      }
      // Looked at again only when a line may have ended: a long first line costs one pass.
      if (piece.indexOf(NEWLINE) === -1) continue;
      const data = Buffer.concat(held);
      const first = firstNonBlankLine(data);
      if (first === undefined) continue;
      if (!isOneLineObject(first.text)) mode = 'document';
      else if (hasContent(data, first.end)) mode = 'ndjson';
      else firstLineSeen = true;
    }
  } catch (error) {
    yield { file: STDIN_NAME, error: describe(error) };
    return;
  }
  if (mode === 'ndjson') {
    const { read, moreSoon } = readIntoFromPieces(heldThenRest(held, pieces));
    yield* ndjsonUnits(read, STDIN_NAME, buffers, { moreSoon: () => moreSoon(QUIET_MS) });
    return;
  }
  try {
    for (let next = await pieces.next(); !next.done; next = await pieces.next())
      held.push(asBytes(next.value));
  } catch (error) {
    yield { file: STDIN_NAME, error: describe(error) };
    return;
  }
  if (documentInShard) {
    const data = Buffer.concat(held);
    yield { file: STDIN_NAME, text: data.toString('utf8'), bytes: data.length };
  }
}

/** The pieces already read, then the rest of the stream. */
async function* heldThenRest(
  held: Uint8Array[],
  rest: AsyncIterator<Uint8Array | string>,
): AsyncGenerator<Uint8Array> {
  // Handed on and forgotten: the held pieces are not kept for the whole run.
  yield* held.splice(0);
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield asBytes(next.value);
}

/** The first whole line with more than JSON white space in it, and where the line after it starts. */
function firstNonBlankLine(data: Buffer): { text: string; end: number } | undefined {
  let start = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  for (let end = data.indexOf(NEWLINE, start); end !== -1; end = data.indexOf(NEWLINE, start)) {
    const text = data.toString('utf8', start, end);
    start = end + 1;
    if (!isBlankLine(text)) return { text, end: start };
  }
  return undefined;
}

/** Whether anything but JSON white space follows `from`. */
function hasContent(data: Uint8Array, from: number): boolean {
  for (let at = from; at < data.length; at++) {
    const byte = data[at];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return true;
  }
  return false;
}

/**
 * The inputs, in input order. Plain documents are dealt out to the shard by their position among the
 * documents (stdin counts as one, first); NDJSON lines, by line number, when a chunk is split.
 */
export async function* readInputs(
  sources: InputSource[],
  shard: Shard,
  stdin: Readable = process.stdin,
  buffers = new ChunkBuffers(),
): AsyncGenerator<InputItem | InputFailure> {
  for await (const item of readInputUnits(sources, shard, stdin, buffers, Infinity))
    if (!isLargeDocument(item)) yield item;
}

/** As `readInputs`, with documents of `largeFrom` bytes and more read as bytes, not decoded. */
export async function* readInputUnits(
  sources: InputSource[],
  shard: Shard,
  stdin: Readable,
  buffers: ChunkBuffers,
  largeFrom: number,
): AsyncGenerator<InputItem | LargeDocument | InputFailure> {
  let documentPosition = 0;
  for (const source of sources) {
    if (source.kind === 'stdin') {
      yield* stdinUnits(stdin, inShard(shard, documentPosition++), buffers);
    } else if (source.kind === 'ndjson') {
      yield* ndjsonFileUnits(source.path, source.display, buffers);
    } else if (inShard(shard, documentPosition++)) {
      try {
        if (source.size >= largeFrom) {
          yield { file: source.display, data: await readFile(source.path), bytes: source.size };
          continue;
        }
        // The validator reads a BOM itself, and counts columns from after it.
        const text = await readFile(source.path, 'utf8');
        yield { file: source.display, text, bytes: source.size };
      } catch (error) {
        yield { file: source.display, error: describe(error) };
      }
    }
  }
}

export function isFailure<T extends object>(item: T | InputFailure): item is InputFailure {
  return 'error' in item;
}

export function isChunk(item: InputItem): item is NdjsonChunk {
  return 'data' in item;
}
