/**
 * Slows down password guessing: failed logins are counted per user name and per client address, and
 * past a few free failures each further one closes the door for a delay that doubles (1 s, 2 s, 4 s,
 * ... up to 15 minutes). While the door is closed the login is answered 429 with Retry-After, before
 * the password is even looked at. A success clears its user's count; counts left alone are forgotten
 * after 15 quiet minutes. The table is bounded: past its size the least recently failed entries go, so
 * a flood of made-up user names costs a fixed amount of memory.
 */
export interface ThrottlePolicy {
  /** Failures allowed per user name, and per client address, before delays start. */
  freePerUser: number;
  freePerAddress: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** A record with no failure for this long starts over. */
  forgetAfterMs: number;
  /** Records kept at most. */
  maxRecords: number;
}

export const DEFAULT_THROTTLE: Readonly<ThrottlePolicy> = Object.freeze({
  freePerUser: 5,
  freePerAddress: 20,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 15 * 60_000,
  maxRecords: 10_000,
});

interface FailureRecord {
  failures: number;
  lastFailure: number;
  closedUntil: number;
}

export class LoginThrottle {
  private readonly records = new Map<string, FailureRecord>();

  constructor(
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before this user may try again from this address; 0 when it may now. */
  waitFor(username: string, address: string): number {
    const now = this.now();
    let wait = 0;
    for (const key of [userKey(username), addressKey(address)]) {
      const record = this.current(key, now);
      if (record) wait = Math.max(wait, record.closedUntil - now);
    }
    return wait;
  }

  failed(username: string, address: string): void {
    const now = this.now();
    this.count(userKey(username), now, this.policy.freePerUser);
    this.count(addressKey(address), now, this.policy.freePerAddress);
  }

  succeeded(username: string): void {
    this.records.delete(userKey(username));
  }

  private current(key: string, now: number): FailureRecord | undefined {
    const record = this.records.get(key);
    if (record && now - record.lastFailure > this.policy.forgetAfterMs) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  private count(key: string, now: number, free: number): void {
    const record = this.current(key, now) ?? { failures: 0, lastFailure: now, closedUntil: 0 };
    record.failures++;
    record.lastFailure = now;
    if (record.failures > free) {
      const doublings = Math.min(record.failures - free - 1, 30);
      record.closedUntil = now + Math.min(this.policy.firstDelayMs * 2 ** doublings, this.policy.maxDelayMs);
    }
    // Re-inserted, so the Map's order is the order of last failure: the oldest go first.
    this.records.delete(key);
    this.records.set(key, record);
    while (this.records.size > this.policy.maxRecords) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) break;
      this.records.delete(oldest);
    }
  }
}

const userKey = (username: string) => `user\u0000${username}`;
const addressKey = (address: string) => `address\u0000${address}`;
