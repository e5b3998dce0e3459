/**
 * The command's inputs: files, folders (recursive: .json and .ndjson), NDJSON files and `-` for stdin,
 * resolved up front into a sorted list, then read one resource at a time. NDJSON goes through a line
 * reader, so a file of any size is never held whole; a plain file holds one document.
 */
import { createReadStream } from 'node:fs';
import { access, constants, readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { inShard, lineInShard, type Shard } from './shard.js';

export const STDIN_NAME = '<stdin>';

export type InputSource =
  | { kind: 'document' | 'ndjson'; path: string; display: string; size: number }
  | { kind: 'stdin'; display: typeof STDIN_NAME };

/** One resource's text, and where it came from. */
export interface InputUnit {
  file: string;
  /** The NDJSON line (1-based); absent for a whole-file document. */
  index?: number;
  text: string;
  /** Roughly the bytes this unit covers in its input, for the progress bar. */
  bytes: number;
}

/** An input that could not be read once the run had started. */
export interface InputFailure {
  file: string;
  error: string;
}

const NDJSON = /\.ndjson$/i;
const JSON_FILE = /\.json$/i;

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
 * Every .json and .ndjson file below a folder. Names starting with a dot are skipped (package indexes
 * such as .index.json are not resources), and symbolic links to folders are not followed (no cycles).
 */
async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, found);
    else if ((entry.isFile() || entry.isSymbolicLink()) && (JSON_FILE.test(path) || NDJSON.test(path))) {
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

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function* ndjsonUnits(
  input: Readable,
  file: string,
  shard: Shard,
): AsyncGenerator<InputUnit | InputFailure> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = line === 1 ? stripBom(raw) : raw;
      if (text.trim() === '' || !lineInShard(shard, line)) continue;
      yield { file, index: line, text, bytes: raw.length + 1 };
    }
  } catch (error) {
    yield { file, error: describe(error) };
  }
}

/**
 * Stdin is NDJSON when its first non-blank line is a whole JSON object and another non-blank line
 * follows; otherwise it is one document. Either way it is read line by line, so NDJSON streams.
 */
async function* stdinUnits(
  input: Readable,
  shard: Shard,
  documentInShard: boolean,
): AsyncGenerator<InputUnit | InputFailure> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  const held: string[] = [];
  let mode: 'undecided' | 'document' | 'ndjson' = 'undecided';
  let firstLine = 0;
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = line === 1 ? stripBom(raw) : raw;
      if (mode === 'ndjson') {
        if (text.trim() !== '' && lineInShard(shard, line))
          yield { file: STDIN_NAME, index: line, text, bytes: raw.length + 1 };
        continue;
      }
      held.push(text);
      if (mode === 'document' || text.trim() === '') continue;
      if (firstLine === 0) {
        firstLine = line;
        mode = isOneLineObject(text) ? 'undecided' : 'document';
        continue;
      }
      // A second non-blank line after a one-line object: NDJSON.
      mode = 'ndjson';
      const first = held[firstLine - 1] as string;
      if (lineInShard(shard, firstLine))
        yield { file: STDIN_NAME, index: firstLine, text: first, bytes: first.length + 1 };
      if (lineInShard(shard, line)) yield { file: STDIN_NAME, index: line, text, bytes: raw.length + 1 };
      held.length = 0;
    }
  } catch (error) {
    yield { file: STDIN_NAME, error: describe(error) };
    return;
  }
  if (mode !== 'ndjson' && documentInShard) {
    const text = held.join('\n');
    yield { file: STDIN_NAME, text, bytes: text.length };
  }
}

/**
 * The resources of the inputs, in input order, restricted to the shard. Plain documents are dealt out
 * by their position among the documents (stdin counts as one, first), NDJSON lines by line number.
 */
export async function* readUnits(
  sources: InputSource[],
  shard: Shard,
  stdin: Readable = process.stdin,
): AsyncGenerator<InputUnit | InputFailure> {
  let documentPosition = 0;
  for (const source of sources) {
    if (source.kind === 'stdin') {
      yield* stdinUnits(stdin, shard, inShard(shard, documentPosition++));
    } else if (source.kind === 'ndjson') {
      yield* ndjsonUnits(createReadStream(source.path), source.display, shard);
    } else if (inShard(shard, documentPosition++)) {
      try {
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
