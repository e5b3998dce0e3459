/**
 * What a step's code throws to end the step early, and how the engine reads it: a skip, a transport
 * failure (the step errors) or a check that ran out of time (the step fails).
 */
import type { Exchange } from './types.js';

/** `t.skip(reason)`, or a value an earlier step did not save. */
export class SkipSignal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SkipSignal';
  }
}

/** The request did not get an answer: refused, reset, timed out, or the login failed. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly exchange: Exchange,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** A check that failed in a way the step cannot go on from (`eventually` past its deadline). */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/** The message of anything thrown, without its stack. */
export function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name;
  if (typeof thrown === 'string') return thrown;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}
