/** Where the server keeps resources: in memory by default, or durable in a journal file with `--db FILE`. */
import type { ResourceVersion, Storage } from './types.js';
import { JournalStorage } from './journal.js';
import { MemoryStorage } from './memory.js';

export {
  MemoryStorage,
  type MemoryStorageOptions,
  type PreparedCommit,
  type StoredVersion,
} from './memory.js';
export { JournalStorage, JournalCorruptError, JournalLockedError, type JournalRecovery } from './journal.js';
export { StorageUnavailableError, type StorageHealth } from './types.js';

export interface StorageOptions {
  /** A journal file; without it nothing outlives the process. */
  db?: string;
  /** Told of the versions a journal puts back as it opens, with their resources parsed (see journal.ts). */
  onRestore?: (versions: readonly ResourceVersion[]) => void;
}

export function openStorage(options: StorageOptions): Storage {
  if (options.db === undefined) return new MemoryStorage();
  return new JournalStorage(options.db, options.onRestore ? { onRestore: options.onRestore } : {});
}
