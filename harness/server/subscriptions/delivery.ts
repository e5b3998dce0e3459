/**
 * Notifications sent over HTTP, one subscription's in the order they were made: each waits for the one
 * before it. A delivery that fails (a network error, a timeout, an answer outside 2xx) is tried again
 * after each pause of the backoff; when the last try fails, the failure is reported and the queue moves
 * on. Nothing here throws: deliveries run after the write that caused them has been answered.
 */

export interface Notification {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface DeliveryOptions {
  /** Pauses before each retry, in ms (default 200, 800, 3,200: four tries). */
  backoffMs?: number[];
  /** Per try, in ms (default 5,000). */
  timeoutMs?: number;
  /**
   * Notifications one subscription may have waiting (default 1,000): past it, a new one is refused, so
   * an endpoint that is down, or slower than the writes, cannot grow the server's memory without end.
   */
  maxPending?: number;
}

export type DeliveryOutcome = { ok: true } | { ok: false; error: string };

const DEFAULT_BACKOFF = [200, 800, 3_200];

export class Deliveries {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, number>();
  private readonly maxPending: number;
  private readonly backoff: number[];
  private readonly timeoutMs: number;
  private closed = false;

  constructor(options: DeliveryOptions = {}) {
    this.backoff = options.backoffMs ?? DEFAULT_BACKOFF;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxPending = options.maxPending ?? 1_000;
  }

  /**
   * Queues a notification behind the subscription's earlier ones; `done` hears how it went. False (and
   * nothing queued) when the subscription already has `maxPending` waiting.
   */
  send(subscription: string, notification: Notification, done: (outcome: DeliveryOutcome) => void): boolean {
    const waiting = this.waiting.get(subscription) ?? 0;
    if (waiting >= this.maxPending) return false;
    this.waiting.set(subscription, waiting + 1);
    const before = this.queues.get(subscription) ?? Promise.resolve();
    const next = before.then(async () => {
      const outcome = await this.deliver(notification);
      const left = (this.waiting.get(subscription) ?? 1) - 1;
      if (left > 0) this.waiting.set(subscription, left);
      else this.waiting.delete(subscription);
      if (!this.closed) done(outcome);
    });
    this.queues.set(subscription, next);
    // The queue's tail is forgotten once it is done, so idle subscriptions hold nothing.
    void next.then(() => {
      if (this.queues.get(subscription) === next) this.queues.delete(subscription);
    });
    return true;
  }

  /** Resolves when every queued notification has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  close(): void {
    this.closed = true;
  }

  private async deliver(notification: Notification): Promise<DeliveryOutcome> {
    let error = '';
    for (let attempt = 0; attempt <= this.backoff.length && !this.closed; attempt++) {
      if (attempt > 0) await pause(this.backoff[attempt - 1] as number);
      try {
        const response = await fetch(notification.url, {
          method: notification.method,
          headers: notification.headers,
          ...(notification.body !== undefined ? { body: notification.body } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
          redirect: 'manual',
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.status >= 200 && response.status < 300) return { ok: true };
        error = `${notification.method} ${notification.url} answered ${response.status}`;
      } catch (cause) {
        error = `${notification.method} ${notification.url} failed: ${cause instanceof Error ? cause.message : String(cause)}`;
      }
    }
    return { ok: false, error };
  }
}

const pause = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
  });
