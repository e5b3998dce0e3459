/**
 * The index of one search parameter on one resource type: the values extracted from each resource (for
 * range comparisons, :missing, :contains and sorting) and postings from exact keys to ids (for token,
 * reference, string and uri lookups without a scan).
 */
import type { SearchParameterInfo } from './types.js';
import type { ReferenceValue, StringValue, TokenValue } from './values.js';

/** Key spaces in the postings, kept apart by a leading control character. */
export const TOKEN_CODE = '\u0001';
export const TOKEN_SYSTEM_CODE = '\u0002';
export const TOKEN_SYSTEM = '\u0003';
export const TOKEN_NO_SYSTEM_CODE = '\u0004';
export const REFERENCE_ID = '\u0001';

type KeysOf = (value: unknown) => string[];

const KEYS: Partial<Record<SearchParameterInfo['type'], KeysOf>> = {
  token: (value) => {
    const { system, code } = value as TokenValue;
    const keys: string[] = [];
    if (code !== undefined) {
      keys.push(TOKEN_CODE + code);
      keys.push(system === undefined ? TOKEN_NO_SYSTEM_CODE + code : `${TOKEN_SYSTEM_CODE}${system}|${code}`);
    }
    if (system !== undefined) keys.push(TOKEN_SYSTEM + system);
    return keys;
  },
  string: (value) => [(value as StringValue).norm],
  reference: (value) => {
    const { key, id, raw } = value as ReferenceValue;
    const keys: string[] = [];
    if (key !== undefined) keys.push(key);
    if (id !== undefined) keys.push(REFERENCE_ID + id);
    if (raw !== undefined && raw !== key) keys.push(raw);
    return keys;
  },
  uri: (value) => [value as string],
};

export class ParameterIndex {
  /** Each resource's values; resources without a value are absent. */
  readonly values = new Map<string, unknown[]>();
  /** A key held by one resource maps to its id alone (most keys: ids, identifiers, names), saving a Set. */
  private readonly postings = new Map<string, string | Set<string>>();
  private readonly keysOf: KeysOf | undefined;

  constructor(readonly info: SearchParameterInfo) {
    this.keysOf = KEYS[info.type];
  }

  set(id: string, values: unknown[]): void {
    this.delete(id);
    if (values.length === 0) return;
    this.values.set(id, values);
    if (!this.keysOf) return;
    for (const value of values)
      for (const key of this.keysOf(value)) {
        const ids = this.postings.get(key);
        if (ids === undefined) this.postings.set(key, id);
        else if (typeof ids === 'string') {
          if (ids !== id) this.postings.set(key, new Set([ids, id]));
        } else ids.add(id);
      }
  }

  delete(id: string): void {
    const old = this.values.get(id);
    if (!old) return;
    this.values.delete(id);
    if (!this.keysOf) return;
    for (const value of old)
      for (const key of this.keysOf(value)) {
        const ids = this.postings.get(key);
        if (ids === id) this.postings.delete(key);
        else if (typeof ids === 'object' && ids.delete(id) && ids.size === 1)
          this.postings.set(key, ids.values().next().value as string);
      }
  }

  /** The ids holding an exact key (see the key spaces above). */
  lookup(key: string): ReadonlySet<string> | undefined {
    const ids = this.postings.get(key);
    return typeof ids === 'string' ? new Set([ids]) : ids;
  }

  /** Every key with its ids, for prefix and substring scans over distinct values. */
  *entries(): IterableIterator<[string, Iterable<string>]> {
    for (const [key, ids] of this.postings) yield [key, typeof ids === 'string' ? [ids] : ids];
  }
}
