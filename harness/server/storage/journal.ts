/**
 * A durable store: the versions live in a `MemoryStorage`, and every commit is first appended to a
 * journal file, one JSON line per commit holding the versions it made, and flushed to disk before it is
 * applied in memory and acknowledged. An acknowledged write therefore survives kill -9 (and a power
 * cut, as far as the disk honours fdatasync). Opening the journal replays it.
 *
 * Line format: `{"versions":[ResourceVersion, ...]}` (a delete has no `resource`). A line is complete
 * when it ends with a newline. Only the last line can be torn by a crash; it is dropped and cut off the
 * file. Anything wrong before it stops the opening with the line's number: data is never silently lost.
 *
 * A lock file beside the journal keeps a second process, or a second store in the same process, from
 * writing the same journal (journal-lock.ts).
 *
 * The store never acknowledges what it has not kept: before each commit it checks that the file it
 * appends to is still the journal at its path (not deleted, not replaced). When it is not, every write
 * from then on is refused (StorageUnavailableError) while reads go on from memory; a disk that is full
 * refuses the write that did not fit, and the next ones may succeed.
 */
import {
  closeSync,
  constants,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  fstatSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { releaseLock, takeLock } from './journal-lock.js';
import {
  StorageUnavailableError,
  type Change,
  type HistoryQuery,
  type ResourceVersion,
  type Storage,
  type StorageHealth,
  type StoredResource,
} from './types.js';
import { MemoryStorage, type MemoryStorageOptions, type PreparedCommit } from './memory.js';

export { JournalLockedError } from './journal-lock.js';

/** Errors of a write that did not fit on the disk (or in the user's quota, or the file size limit). */
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** What opening the journal found. */
export interface JournalRecovery {
  commits: number;
  versions: number;
  /** Bytes of a torn last line that were cut off (0 after a clean shutdown). */
  droppedBytes: number;
}

/** The journal cannot be replayed: `line` (1-based) is damaged, and it is not the last line. */
export class JournalCorruptError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(
      `${path}: line ${line} of the journal is damaged (${reason}); refusing to start rather than lose ` +
        `the commits after it. Repair or remove that line by hand.`,
    );
  }
}

export class JournalStorage implements Storage {
  readonly recovery: JournalRecovery;
  private readonly memory: MemoryStorage;
  private readonly lockPath: string;
  private fd: number | undefined;
  /** The journal's length in bytes: the end of its last complete line, where the next one goes. */
  private size = 0;
  /** Set when a failed write could not be undone: the file no longer matches memory. */
  private broken: unknown;
  /** The journal's identity when opened: a file at the path with another is not ours. */
  private readonly device: number;
  private readonly inode: number;
  /** Why writes are refused for good (the journal was deleted or replaced), once found. */
  private lost: string | undefined;
  /** What opening did that an operator should know of (a stale lock taken over). */
  readonly notes: string[] = [];
  private readonly onRestore: ((versions: readonly ResourceVersion[]) => void) | undefined;

  constructor(
    readonly path: string,
    options: MemoryStorageOptions & {
      /**
       * Told of each replayed line's versions, their resources as parsed from the line: the search
       * index takes them so instead of reading every resource back (a second parse of each).
       */
      onRestore?: (versions: readonly ResourceVersion[]) => void;
    } = {},
  ) {
    this.memory = new MemoryStorage(options);
    this.onRestore = options.onRestore;
    this.lockPath = `${path}.lock`;
    const takenOver = takeLock(path, this.lockPath);
    if (takenOver) this.notes.push(takenOver);
    try {
      const existed = existsSync(path);
      this.fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
      if (!existed) syncDirectory(dirname(path));
      const identity = fstatSync(this.fd);
      this.device = identity.dev;
      this.inode = identity.ino;
      this.recovery = this.replay(this.fd);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  read(type: string, id: string): ResourceVersion | undefined {
    return this.memory.read(type, id);
  }

  vread(type: string, id: string, versionId: string): ResourceVersion | undefined {
    return this.memory.vread(type, id, versionId);
  }

  history(query: HistoryQuery): ResourceVersion[] {
    return this.memory.history(query);
  }

  ids(type: string): Iterable<string> {
    return this.memory.ids(type);
  }

  types(): Iterable<string> {
    return this.memory.types();
  }

  /** On disk, then in memory, then returned: see `MemoryStorage.prepare` for the checks. */
  commit(changes: Change[]): ResourceVersion[] {
    if (this.fd === undefined) throw new Error(`${this.path}: the store is closed`);
    if (this.broken !== undefined) {
      throw new Error(`${this.path}: a failed write could not be undone; reopen the store`, {
        cause: this.broken,
      });
    }
    const prepared = this.memory.prepare(changes);
    if (prepared.versions.length > 0) {
      this.checkStillOurs(this.fd);
      this.append(this.fd, journalLine(prepared));
    }
    return this.memory.apply(prepared);
  }

  health(): StorageHealth {
    if (this.lost !== undefined) return { writable: false, reason: this.lost };
    if (this.broken !== undefined)
      return { writable: false, reason: 'a failed write could not be undone; restart the server' };
    if (this.fd !== undefined) {
      try {
        this.checkStillOurs(this.fd);
      } catch (error) {
        return { writable: false, reason: (error as Error).message };
      }
    }
    return { writable: true };
  }

  /**
   * The file behind `fd` is still the journal at its path: not unlinked, and the path not pointing at
   * another file. Otherwise what is appended would be gone at the next start, so writes stop for good.
   */
  private checkStillOurs(fd: number): void {
    if (this.lost !== undefined) throw new StorageUnavailableError(this.lost, 'lost');
    let reason: string | undefined;
    if (fstatSync(fd).nlink === 0) reason = `the journal ${this.path} was deleted while the server ran`;
    else {
      try {
        const atPath = statSync(this.path);
        if (atPath.dev !== this.device || atPath.ino !== this.inode)
          reason = `the journal ${this.path} was replaced by another file while the server ran`;
      } catch (error) {
        reason = `the journal ${this.path} cannot be found (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
      }
    }
    if (reason === undefined) return;
    this.lost = `${reason}; writes are refused so that none is acknowledged and then lost. The data is still served from memory; restart the server to write again`;
    throw new StorageUnavailableError(this.lost, 'lost');
  }

  onCommit(listener: (versions: ResourceVersion[]) => void): void {
    this.memory.onCommit(listener);
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    releaseLock(this.lockPath);
  }

  /** Writes one line and flushes it; on failure cuts the file back, so no half line is left mid-journal. */
  private append(fd: number, line: string): void {
    const bytes = Buffer.from(line, 'utf8');
    try {
      for (let written = 0; written < bytes.length;) {
        written += writeSync(fd, bytes, written, bytes.length - written, this.size + written);
      }
      // fdatasync flushes the data and the new length, all a reader needs; fsync would add timestamps.
      fdatasyncSync(fd);
    } catch (error) {
      try {
        ftruncateSync(fd, this.size);
      } catch {
        this.broken = error;
      }
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (DISK_FULL.has(code))
        throw new StorageUnavailableError(
          `the disk under the journal ${this.path} is full (${code}); the write was not stored`,
          'full',
        );
      throw error;
    }
    this.size += bytes.length;
  }

  /**
   * Reads the journal line by line, a chunk at a time (a journal of a million resources is never held
   * whole), restoring each commit; a torn last line is cut off.
   */
  private replay(fd: number): JournalRecovery {
    const fileSize = fstatSync(fd).size;
    const recovery: JournalRecovery = { commits: 0, versions: 0, droppedBytes: 0 };
    let buffer = Buffer.allocUnsafe(REPLAY_CHUNK_BYTES);
    /** The file offset of buffer[0], and how many bytes of the buffer hold file content. */
    let bufferAt = 0;
    let filled = 0;
    /** The file offset where the next line starts: the end of the last good one. */
    let start = 0;
    let line = 1;
    for (;;) {
      if (filled === buffer.length) {
        // A line longer than the buffer: make room for it.
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
      const read = readSync(fd, buffer, filled, buffer.length - filled, bufferAt + filled);
      filled += read;
      let from = start - bufferAt;
      for (let newline = buffer.indexOf(0x0a, from); newline !== -1 && newline < filled;) {
        const parsed = this.replayLine(
          buffer.toString('utf8', from, newline),
          line,
          bufferAt + newline + 1 === fileSize,
        );
        if (parsed === undefined) break;
        recovery.commits++;
        recovery.versions += parsed;
        line++;
        from = newline + 1;
        start = bufferAt + from;
        newline = buffer.indexOf(0x0a, from);
      }
      if (read === 0) {
        // The end: what is left has no line end, an unfinished commit that was never acknowledged, unless
        // it cannot even be read (then it is damaged data before the end: refuse).
        if (from < filled) this.replayLine(buffer.toString('utf8', from, filled), line, true, true);
        break;
      }
      // Keep the unfinished line at the front for the next read.
      buffer.copy(buffer, 0, from, filled);
      bufferAt += from;
      filled -= from;
    }
    this.size = start;
    recovery.droppedBytes = fileSize - start;
    if (recovery.droppedBytes > 0) {
      ftruncateSync(fd, start);
      fsyncSync(fd);
    }
    return recovery;
  }

  /**
   * Restores one line's commit; the number of versions it held, or undefined for a last line that is
   * torn (it is dropped). Throws JournalCorruptError for a damaged line before the last.
   */
  private replayLine(text: string, line: number, isLast: boolean, unterminated = false): number | undefined {
    const parsed = parseLine(text);
    if (typeof parsed === 'string' || unterminated) {
      // An unfinished or unreadable last line is a commit that was never acknowledged.
      if (isLast) return undefined;
      throw new JournalCorruptError(this.path, line, typeof parsed === 'string' ? parsed : 'no line end');
    }
    withResourceTexts(parsed, text);
    try {
      this.memory.restore(parsed);
    } catch (error) {
      throw new JournalCorruptError(this.path, line, (error as Error).message);
    }
    this.onRestore?.(parsed);
    return parsed.length;
  }
}

/** One commit's line. The resources are already JSON text, so they go in as they are. */
export function journalLine(prepared: PreparedCommit): string {
  const entries = prepared.versions.map((version, index) => {
    const text = prepared.texts[index];
    return (
      `{"type":${JSON.stringify(version.type)},"id":${JSON.stringify(version.id)},` +
      `"versionId":${JSON.stringify(version.versionId)},"lastUpdated":${JSON.stringify(version.lastUpdated)},` +
      `"method":${JSON.stringify(version.method)}` +
      (text === undefined ? '}' : `,"resource":${text}}`)
    );
  });
  return `{"versions":[${entries.join(',')}]}\n`;
}

const METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the replay reads at a time; a longer line grows it. */
const REPLAY_CHUNK_BYTES = 8 << 20;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x7b, 0x5b]);
const CLOSE = new Set([0x7d, 0x5d]);
/** Depth of a version object in a line: the line's object, its versions array, the version. */
const VERSION_DEPTH = 3;
const RESOURCE_KEY = '"resource"';
const COLON = 0x3a;

function skipSpace(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

/**
 * Gives each version of a parsed line the text of its resource as it stands in the line (`json`), so
 * the replay stores that text instead of serializing the resource again. The texts are found by one
 * walk of the line's brackets and strings; when what it finds does not pair up with the versions (a
 * line written by hand), nothing is given and the resources are serialized.
 */
function withResourceTexts(versions: ResourceVersion[], line: string): void {
  const texts: (string | undefined)[] = [];
  let depth = 0;
  let resourceStart = -1;
  let hasResource = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string, escapes and all; a version's "resource" key marks where its value starts.
      const start = i;
      for (i++; i < line.length; i++) {
        const d = line.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      if (
        depth === VERSION_DEPTH &&
        i === start + RESOURCE_KEY.length - 1 &&
        line.startsWith(RESOURCE_KEY, start)
      ) {
        const colon = skipSpace(line, i + 1);
        if (line.charCodeAt(colon) === COLON) {
          resourceStart = skipSpace(line, colon + 1);
          hasResource = true;
          i = resourceStart - 1;
        }
      }
    } else if (OPEN.has(c)) {
      depth++;
      if (depth === VERSION_DEPTH) hasResource = false;
    } else if (CLOSE.has(c)) {
      depth--;
      if (depth === VERSION_DEPTH && resourceStart >= 0) {
        texts.push(line.slice(resourceStart, i + 1));
        resourceStart = -1;
      } else if (depth === VERSION_DEPTH - 1 && !hasResource) texts.push(undefined);
    }
  }
  if (texts.length !== versions.length) return;
  if (versions.some((version, k) => (version.resource === undefined) !== (texts[k] === undefined))) return;
  versions.forEach((version, k) => {
    if (texts[k] !== undefined) version.json = texts[k];
  });
}

/** The versions of a line, or what is wrong with it. */
function parseLine(text: string): ResourceVersion[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  const versions = (value as { versions?: unknown } | null)?.versions;
  if (!Array.isArray(versions) || versions.length === 0) return 'no versions';
  for (const [index, version] of versions.entries()) {
    const problem = versionProblem(version);
    if (problem) return `version ${index + 1}: ${problem}`;
  }
  return versions as ResourceVersion[];
}

function versionProblem(version: unknown): string | undefined {
  if (typeof version !== 'object' || version === null) return 'not an object';
  const { type, id, versionId, lastUpdated, method, resource } = version as Record<string, unknown>;
  for (const [name, field] of Object.entries({ type, id, versionId, lastUpdated, method })) {
    if (typeof field !== 'string') return `${name} is not a string`;
  }
  if (!METHODS.has(method as string)) return `unknown method ${String(method)}`;
  if ((method === 'DELETE') !== (resource === undefined))
    return 'a delete has no resource, and only a delete';
  if (resource !== undefined) {
    const meta = (resource as Partial<StoredResource> | null)?.meta;
    if (meta?.versionId !== versionId || meta?.lastUpdated !== lastUpdated)
      return 'resource meta does not match';
  }
  return undefined;
}

/** Makes a new file's directory entry durable too (not possible on every platform; then skipped). */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory; its file system journals metadata anyway.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
