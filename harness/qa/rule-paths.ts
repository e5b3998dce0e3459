/**
 * Which FSH rule of an instance wrote which place in its generated JSON, and so which rule an issue at a
 * FHIRPath expression belongs to.
 *
 * A rule path names array items three ways: by number (`item[1]`, exact), implicitly (`name.family`
 * means `name[0]`, exact) or by slice name (`identifier[Code]`). A slice name is resolved against the
 * JSON: among the array's items not yet claimed by another slice, the one that holds the most of the
 * values the slice's rules assign (for an extension, also the one whose url ends with the slice name)
 * wins; ties go to the first item, which is the order SUSHI writes slices in. This is exact whenever the
 * slices' rules assign distinguishable values, which assigned examples always do.
 */
import type { FshInstance, FshInstanceRule, FshPlace } from './fsh-sources.js';
import { isJsonObject } from '../json.js';

export type JsonStep = string | number;

export interface PlacedRule {
  rule: FshInstanceRule;
  /** The JSON path the rule wrote, below the resource (`['identifier', 0, 'value']`). */
  steps: JsonStep[];
}

/** How an issue found its FSH line, from the most to the least exact. */
export type MappingPrecision =
  | 'rule' // the rule that wrote exactly the element the issue is about
  | 'enclosing-rule' // a rule that wrote a whole value the element is part of
  | 'first-child-rule' // the first rule that wrote inside the element the issue is about
  | 'instance'; // the Instance declaration (the element was written by no rule)

export interface RuleMatch extends FshPlace {
  precision: MappingPrecision;
  rulePath?: string;
  insertedAt?: FshPlace;
}

interface PathPart {
  key: string;
  /** A number, a slice name, or absent (item 0 of an array). */
  selector?: number | string;
}

const NUMBER = /^\d+$/;

/** `identifier[Code].value` -> [{identifier, Code}, {value}]; brackets inside quotes are not split on. */
export function parseRulePath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  for (const segment of splitOutsideBrackets(path)) {
    const match = /^([^[]+?)(\[x\])?((?:\[[^\]]*\])*)$/.exec(segment);
    if (!match) {
      parts.push({ key: segment });
      continue;
    }
    const key = `${match[1] ?? ''}${match[2] ?? ''}`;
    const brackets = [...(match[3] ?? '').matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '');
    // `[Code][1]` (the second item of a reslice) is approximated by the slice name.
    const named = brackets.find((b) => !NUMBER.test(b));
    const numbered = brackets.find((b) => NUMBER.test(b));
    const selector = named ?? (numbered !== undefined ? Number(numbered) : undefined);
    parts.push(selector === undefined ? { key } : { key, selector });
  }
  return parts;
}

function splitOutsideBrackets(path: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of path) {
    if (char === '[') depth++;
    else if (char === ']') depth = Math.max(0, depth - 1);
    if (char === '.' && depth === 0) {
      segments.push(current);
      current = '';
    } else current += char;
  }
  segments.push(current);
  return segments.filter((segment) => segment.length > 0);
}

/** A validator expression (`Claim.item[1].unitPrice.value`) as JSON steps below the resource. */
export function expressionSteps(expression: string): JsonStep[] {
  // Contained and Bundle resources are annotated `/*Patient/x*/` by the validator: not part of the path.
  // Choice elements are written `value.ofType(Money)`; the JSON key is `valueMoney`.
  const cleaned = expression
    .replace(/\/\*.*?\*\//g, '')
    .replace(
      /\.ofType\(([A-Za-z]+)\)/g,
      (_match, type: string) => type.charAt(0).toUpperCase() + type.slice(1),
    );
  const steps: JsonStep[] = [];
  for (const segment of splitOutsideBrackets(cleaned).slice(1)) {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(segment);
    if (!match) {
      steps.push(segment);
      continue;
    }
    steps.push(match[1] ?? segment);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

type Json = unknown;

function leafTokens(value: Json, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) leafTokens(item, into);
  else if (isJsonObject(value)) for (const item of Object.values(value)) leafTokens(item, into);
  else if (value !== null && value !== undefined) into.add(String(value));
  return into;
}

/** The JSON key a rule's element name stands for: choice elements may be written `value[x]`. */
function jsonKey(node: Record<string, Json>, key: string): string {
  if (!key.endsWith('[x]')) return key;
  const stem = key.slice(0, -3);
  return Object.keys(node).find((k) => k.startsWith(stem) && /^[A-Z]/.test(k.slice(stem.length))) ?? stem;
}

interface Pending {
  rule: FshInstanceRule;
  parts: PathPart[];
}

/** Places every rule of an instance in its generated JSON. */
export function placeRules(instance: FshInstance, resource: Json): PlacedRule[] {
  const placed: PlacedRule[] = [];
  const pending = instance.rules.map((rule) => ({ rule, parts: parseRulePath(rule.path) }));
  placeLevel(resource, pending, 0, [], placed);
  return placed;
}

function placeLevel(
  node: Json,
  rules: Pending[],
  depth: number,
  prefix: JsonStep[],
  out: PlacedRule[],
): void {
  // Rules grouped by their element at this depth, in the order they first appear.
  const groups = new Map<string, Pending[]>();
  for (const pending of rules) {
    const part = pending.parts[depth];
    if (!part) continue;
    const groupKey = `${part.key}[${part.selector ?? ''}]`;
    const group = groups.get(groupKey) ?? [];
    group.push(pending);
    groups.set(groupKey, group);
  }
  const claimed = new Map<string, Set<number>>();
  for (const group of groups.values()) {
    const part = group[0]?.parts[depth];
    if (!part) continue;
    const key = isJsonObject(node) ? jsonKey(node, part.key) : part.key;
    const child = isJsonObject(node) ? node[key] : undefined;
    let steps: JsonStep[] = [...prefix, key];
    let target: Json = child;
    if (Array.isArray(child)) {
      const taken = claimed.get(key) ?? new Set<number>();
      claimed.set(key, taken);
      const index = chooseIndex(child, part, group, taken);
      taken.add(index);
      steps = [...steps, index];
      target = child[index];
    }
    const deeper: Pending[] = [];
    for (const pending of group) {
      if (pending.parts.length === depth + 1) out.push({ rule: pending.rule, steps });
      else deeper.push(pending);
    }
    if (deeper.length > 0) placeLevel(target, deeper, depth + 1, steps, out);
  }
}

function chooseIndex(items: Json[], part: PathPart, group: Pending[], taken: Set<number>): number {
  if (typeof part.selector === 'number') return part.selector;
  if (part.selector === undefined) return 0;
  const slice = part.selector;
  const wanted = group.flatMap((pending) => pending.rule.tokens);
  let best = -1;
  let bestScore = -1;
  items.forEach((item, index) => {
    if (taken.has(index)) return;
    const tokens = leafTokens(item, new Set());
    let score = wanted.filter((token) => tokens.has(token)).length;
    const url = isJsonObject(item) ? item.url : undefined;
    if (typeof url === 'string' && (url === slice || url.endsWith(`/${slice}`))) score += wanted.length + 1;
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  });
  return best >= 0 ? best : 0;
}

function startsWith(steps: JsonStep[], prefix: JsonStep[]): boolean {
  return prefix.length <= steps.length && prefix.every((step, i) => steps[i] === step);
}

/**
 * The rule an issue at `expression` belongs to: the rule that wrote exactly that element; else the
 * nearest rule that wrote an enclosing value; else the first rule (by line) that wrote inside it; else
 * the Instance declaration.
 */
export function matchRule(instance: FshInstance, placed: PlacedRule[], expression: string): RuleMatch {
  const target = expressionSteps(expression);
  const located = (candidate: PlacedRule, precision: MappingPrecision): RuleMatch => ({
    file: candidate.rule.file,
    line: candidate.rule.line,
    ...(candidate.rule.column ? { column: candidate.rule.column } : {}),
    precision,
    rulePath: candidate.rule.path,
    ...(candidate.rule.insertedAt ? { insertedAt: candidate.rule.insertedAt } : {}),
  });
  const exact = placed.filter((p) => p.steps.length === target.length && startsWith(target, p.steps));
  if (exact.length > 0) return located(exact[exact.length - 1] as PlacedRule, 'rule');
  const enclosing = placed
    .filter((p) => startsWith(target, p.steps))
    .sort((a, b) => b.steps.length - a.steps.length);
  if (enclosing[0]) return located(enclosing[0], 'enclosing-rule');
  if (target.length > 0) {
    const inside = placed
      .filter((p) => startsWith(p.steps, target))
      .sort((a, b) => a.rule.line - b.rule.line);
    if (inside[0]) return located(inside[0], 'first-child-rule');
  }
  return {
    file: instance.file,
    line: instance.line,
    ...(instance.column ? { column: instance.column } : {}),
    precision: 'instance',
  };
}
