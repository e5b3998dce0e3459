/**
 * JSON Patch (RFC 6902), for PATCH with application/json-patch+json (http.html#patch). Applied to a
 * copy; the result is a value or an error saying which operation failed and why.
 */
import { isJsonObject } from '../json.js';
export type PatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

export type PatchResult = { ok: true; value: unknown } | { ok: false; error: string };

/** A JSON Pointer (RFC 6901) split into unescaped tokens. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function get(document: unknown, tokens: string[]): { found: true; value: unknown } | { found: false } {
  let current = document;
  for (const token of tokens) {
    if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < current.length)
      current = current[Number(token)];
    else if (isJsonObject(current) && Object.hasOwn(current, token)) current = current[token];
    else return { found: false };
  }
  return { found: true, value: current };
}

/** Applies one operation in place on `root` (a container); returns an error text or undefined. */
function apply(root: { doc: unknown }, operation: PatchOperation): string | undefined {
  const tokens = parsePointer(operation.path);
  if (!tokens) return `'${operation.path}' is not a JSON Pointer`;
  if (tokens.some((t) => FORBIDDEN_KEYS.has(t))) return `'${operation.path}' names a forbidden key`;
  if (operation.op === 'test') {
    const found = get(root.doc, tokens);
    return found.found && deepEqual(found.value, operation.value)
      ? undefined
      : `test failed at '${operation.path}'`;
  }
  if (operation.op === 'move' || operation.op === 'copy') {
    const from = parsePointer(operation.from);
    if (!from) return `'${operation.from}' is not a JSON Pointer`;
    const found = get(root.doc, from);
    if (!found.found) return `nothing at '${operation.from}'`;
    if (operation.op === 'move') {
      if (operation.path.startsWith(`${operation.from}/`))
        return `cannot move '${operation.from}' into itself`;
      const removed = apply(root, { op: 'remove', path: operation.from });
      if (removed) return removed;
    }
    return apply(root, { op: 'add', path: operation.path, value: structuredClone(found.value) });
  }
  const value = 'value' in operation ? operation.value : undefined;
  if (tokens.length === 0) {
    if (operation.op === 'remove') return 'cannot remove the whole document';
    root.doc = structuredClone(value);
    return undefined;
  }
  const parent = get(root.doc, tokens.slice(0, -1));
  if (!parent.found) return `the parent of '${operation.path}' does not exist`;
  const last = tokens[tokens.length - 1] as string;
  const container = parent.value;
  if (Array.isArray(container)) {
    const index = last === '-' ? container.length : /^(0|[1-9]\d*)$/.test(last) ? Number(last) : NaN;
    if (Number.isNaN(index)) return `'${last}' is not an array index`;
    if (operation.op === 'add') {
      if (index > container.length) return `index ${index} is past the end of the array`;
      container.splice(index, 0, structuredClone(value));
    } else if (index >= container.length) return `nothing at '${operation.path}'`;
    else if (operation.op === 'remove') container.splice(index, 1);
    else container[index] = structuredClone(value);
    return undefined;
  }
  if (!isJsonObject(container)) return `the parent of '${operation.path}' is not an object or array`;
  if (operation.op !== 'add' && !Object.hasOwn(container, last)) return `nothing at '${operation.path}'`;
  if (operation.op === 'remove') delete container[last];
  else container[last] = structuredClone(value);
  return undefined;
}

function isOperation(value: unknown): value is PatchOperation {
  if (!isJsonObject(value) || typeof value.path !== 'string') return false;
  switch (value.op) {
    case 'add':
    case 'replace':
    case 'test':
      return Object.hasOwn(value, 'value');
    case 'remove':
      return true;
    case 'move':
    case 'copy':
      return typeof value.from === 'string';
    default:
      return false;
  }
}

export function applyJsonPatch(document: unknown, patch: unknown): PatchResult {
  if (!Array.isArray(patch)) return { ok: false, error: 'a JSON Patch document is an array of operations' };
  const root = { doc: structuredClone(document) };
  for (const [index, operation] of patch.entries()) {
    if (!isOperation(operation))
      return { ok: false, error: `operation ${index} is not a valid JSON Patch operation` };
    const error = apply(root, operation);
    if (error) return { ok: false, error: `operation ${index} (${operation.op}): ${error}` };
  }
  return { ok: true, value: root.doc };
}
