/**
 * The resources a run created, deleted at the end in reverse order (later resources may refer to
 * earlier ones). A deletion that does not work is reported, never a reason to fail the run.
 */
import type { HttpClient } from './http-client.js';
import type { CleanupResult } from './types.js';

const REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

export class ResourceTracker {
  private readonly references: string[] = [];

  constructor(private readonly base: string) {}

  /**
   * `Type/id`, `Type/id/_history/v`, or a URL (a Location header) under the base. Answers the stored
   * reference, or an Error saying why it cannot be tracked.
   */
  track(reference: unknown): string | Error {
    const normalised = this.normalise(reference);
    if (normalised instanceof Error) return normalised;
    if (!this.references.includes(normalised)) this.references.push(normalised);
    return normalised;
  }

  tracked(): string[] {
    return [...this.references];
  }

  /** Deletes what was tracked, except what `deletable` says the target does not let clients delete. */
  async cleanup(
    client: HttpClient,
    keep: boolean,
    deletable: (type: string) => boolean = () => true,
  ): Promise<CleanupResult> {
    if (keep) return { kept: true, deleted: [], failed: [], remaining: this.tracked(), undeletable: [] };
    const result: CleanupResult = { kept: false, deleted: [], failed: [], remaining: [], undeletable: [] };
    const kept: string[] = [];
    for (const reference of [...this.references].reverse()) {
      if (!deletable(reference.split('/')[0] as string)) {
        kept.push(reference);
        continue;
      }
      const sent = await client.send('DELETE', reference);
      if (!sent.ok) {
        result.failed.push({ reference, message: sent.message, exchange: sent.exchange });
      } else if ([200, 202, 204, 404, 410].includes(sent.reply.status)) {
        // 404/410: a scenario deleted it already, which is what cleanup wants.
        result.deleted.push(reference);
      } else {
        result.failed.push({
          reference,
          message: `DELETE ${reference} answered ${sent.reply.status}`,
          exchange: sent.reply.exchange,
        });
      }
    }
    // What clients may not delete may have gone with what it belonged to (a claim's feedback with the
    // claim): only what is still there is left.
    for (const reference of kept) {
      const read = await client.send('GET', reference);
      if (read.ok && (read.reply.status === 404 || read.reply.status === 410)) result.deleted.push(reference);
      else result.undeletable.push(reference);
    }
    return result;
  }

  private normalise(reference: unknown): string | Error {
    if (typeof reference !== 'string' || reference.trim() === '') {
      return new Error(
        `cannot track ${JSON.stringify(reference) ?? String(reference)} for deletion: not a reference`,
      );
    }
    let path = reference.trim();
    if (/^https?:\/\//i.test(path)) {
      if (!path.startsWith(`${this.base}/`)) {
        return new Error(`cannot track ${path} for deletion: it is not under the target's base ${this.base}`);
      }
      path = path.slice(this.base.length + 1);
    }
    path = path
      .replace(/^\/+/, '')
      .replace(/\/_history\/[^/]*$/, '')
      .replace(/[?#].*$/, '');
    if (!REFERENCE.test(path))
      return new Error(`cannot track ${reference} for deletion: not a Type/id reference`);
    return path;
  }
}
