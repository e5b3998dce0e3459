/**
 * The run as JSON, the machine-readable record of everything (steps, messages, exchanges). Keys are sorted
 * at every level so two runs can be diffed line by line; credentials in headers are masked. A large body
 * met again (the CapabilityStatement read at the start and again by a step) is written once: later
 * exchanges carry `bodySameAs`, the JSON Pointer of the body it repeats, instead of `body`.
 */
import { createHash } from 'node:crypto';
import { sortKeys } from '../../json.js';
import type { RunResult } from '../types.js';
import { redactExchange } from './exchanges.js';

/** The result with every exchange's credentials masked. */
export function redactRun(result: RunResult): RunResult {
  return {
    ...result,
    scenarios: result.scenarios.map((scenario) => ({
      ...scenario,
      steps: scenario.steps.map((step) => ({ ...step, exchanges: step.exchanges.map(redactExchange) })),
    })),
    ...(result.capabilities
      ? { capabilities: { ...result.capabilities, exchange: redactExchange(result.capabilities.exchange) } }
      : {}),
    cleanup: {
      ...result.cleanup,
      failed: result.cleanup.failed.map((failure) =>
        failure.exchange ? { ...failure, exchange: redactExchange(failure.exchange) } : failure,
      ),
    },
  };
}

/** Bodies shorter than this are left where they are, repeated or not. */
const SHARED_BODY_CHARS = 2_048;

/**
 * Each large body after its first occurrence (in the written, key-sorted order) replaced by
 * `bodySameAs`, the JSON Pointer (RFC 6901) of that first occurrence.
 */
function shareRepeatedBodies(value: unknown, path: string[], seen: Map<string, string>): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => shareRepeatedBodies(item, [...path, String(index)], seen));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'body' && typeof child === 'string' && child.length >= SHARED_BODY_CHARS) {
      const hash = createHash('sha256').update(child).digest('hex');
      const first = seen.get(hash);
      if (first !== undefined) {
        out.bodySameAs = first;
        continue;
      }
      seen.set(
        hash,
        `/${[...path, key].map((step) => step.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
      );
    }
    out[key] = shareRepeatedBodies(child, [...path, key], seen);
  }
  return out;
}

export function toJson(result: RunResult): string {
  const sorted = sortKeys(redactRun(result));
  return `${JSON.stringify(shareRepeatedBodies(sorted, [], new Map()), null, 2)}\n`;
}
