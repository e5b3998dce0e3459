/**
 * Notifications not yet delivered, kept beside the journal (`--db FILE` -> `FILE.deliveries`) so that a
 * restart sends them: a line when one is queued, a line when it is done (delivered or given up), appended
 * as they happen. At start the file is read, what was queued and never done is handed back in order, and
 * the file is rewritten with only that. Without a journal nothing is kept.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface PendingDelivery {
  subscription: string;
  /** `Type/id/_history/versionId` of the version the notification is about. */
  version: string;
}

const keyOf = (entry: PendingDelivery) => `${entry.subscription} ${entry.version}`;

export class DeliveryLog {
  private constructor(private readonly path: string | undefined) {}

  /** The log at `path` (none without one), and what it holds that was never delivered. */
  static open(path: string | undefined): { log: DeliveryLog; pending: PendingDelivery[] } {
    if (!path) return { log: new DeliveryLog(undefined), pending: [] };
    const pending = new Map<string, PendingDelivery>();
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        const [state, subscription, version] = line.split(' ');
        if (!subscription || !version) continue; // a line cut short by a crash
        const entry = { subscription, version };
        if (state === 'queued') pending.set(keyOf(entry), entry);
        else if (state === 'done') pending.delete(keyOf(entry));
      }
    }
    const kept = [...pending.values()];
    const temporary = `${path}.tmp`;
    writeFileSync(temporary, kept.map((entry) => `queued ${keyOf(entry)}\n`).join(''));
    renameSync(temporary, path);
    return { log: new DeliveryLog(path), pending: kept };
  }

  queued(entry: PendingDelivery): void {
    this.append(`queued ${keyOf(entry)}\n`);
  }

  done(entry: PendingDelivery): void {
    this.append(`done ${keyOf(entry)}\n`);
  }

  private append(line: string): void {
    if (!this.path) return;
    try {
      appendFileSync(this.path, line);
    } catch {
      // The log is a convenience over the journal: failing to write it must not fail a delivery.
    }
  }
}
