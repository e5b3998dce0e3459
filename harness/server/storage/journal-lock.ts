/**
 * The lock beside a journal (`<journal>.lock`): it keeps a second process, or a second store in the same
 * process, from writing the same journal. It names its owner by pid and, where the system tells (Linux
 * /proc), by the time that process started, so that a pid used again by some other process is not
 * mistaken for the owner. A lock is stale, and taken over, when its owner no longer runs, when its pid
 * now belongs to a process started later, or when it names this very process but no store here holds it
 * (a server restarted in a container after kill -9 is PID 1 again).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** Another live process (or another store in this one) holds the journal. */
export class JournalLockedError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`${path} is in use by process ${pid} (lock file ${path}.lock)`);
  }
}

/** Lock files held by stores of this process. */
const heldHere = new Set<string>();

interface LockOwner {
  pid: number;
  /** The owner's start time as the system counts it; undefined where it cannot be read. */
  started: string | undefined;
}

/**
 * Takes the lock for `journal`; throws JournalLockedError when a live owner holds it. Returns a line
 * for the log when a stale lock was taken over.
 */
export function takeLock(journal: string, lockPath: string): string | undefined {
  let takenOver: string | undefined;
  // Two tries: the second after clearing a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, `${process.pid} ${processStart(process.pid) ?? ''}\n`);
      } finally {
        closeSync(fd);
      }
      heldHere.add(lockPath);
      return takenOver;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(lockPath);
    const stale = owner === undefined ? 'an unreadable lock' : staleness(owner, lockPath);
    if (stale === undefined) throw new JournalLockedError(journal, owner?.pid ?? 0);
    takenOver = `took over the lock ${lockPath}: ${stale}`;
    removeFile(lockPath);
  }
  throw new Error(`${journal}: could not take the lock ${lockPath}`);
}

/** Removes the lock if a store of this process holds it. */
export function releaseLock(lockPath: string): void {
  if (!heldHere.delete(lockPath)) return;
  if (lockOwner(lockPath)?.pid === process.pid) removeFile(lockPath);
}

/** Why the owner's lock is stale, or undefined when the owner holds it. */
function staleness(owner: LockOwner, lockPath: string): string | undefined {
  if (owner.pid === process.pid) {
    return heldHere.has(lockPath)
      ? undefined
      : `it names this process (${owner.pid}), a server killed before this one started with the same pid`;
  }
  if (!isRunning(owner.pid)) return `its process ${owner.pid} no longer runs`;
  const started = processStart(owner.pid);
  if (owner.started && started && owner.started !== started)
    return `its pid ${owner.pid} now belongs to another process, started after the lock was written`;
  return undefined;
}

function lockOwner(lockPath: string): LockOwner | undefined {
  try {
    const [pidText = '', started] = readFileSync(lockPath, 'utf8').trim().split(/\s+/);
    const pid = Number(pidText);
    return Number.isSafeInteger(pid) && pid > 0 ? { pid, started: started || undefined } : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a process started, in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined where
 * there is no /proc. The name in field 2 may hold spaces and parentheses, so fields count from the last ')'.
 */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
