/** Where the server keeps resources: in memory by default, or durable in a journal file with `--db FILE`. */
import type { Storage } from './types.js';
import { JournalStorage } from './journal.js';
import { MemoryStorage } from './memory.js';

export {
  MemoryStorage,
  type MemoryStorageOptions,
  type PreparedCommit,
  type StoredVersion,
} from './memory.js';
export { JournalStorage, JournalCorruptError, JournalLockedError, type JournalRecovery } from './journal.js';

export interface StorageOptions {
  /** A journal file; without it nothing outlives the process. */
  db?: string;
}

export function openStorage(options: StorageOptions): Storage {
  return options.db === undefined ? new MemoryStorage() : new JournalStorage(options.db);
}
