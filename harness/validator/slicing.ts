/**
 * Slice matching: which slice of a sliced element an instance item belongs to, by the discriminators of
 * ElementDefinition.slicing (value, pattern, exists, type, profile). When an item matches no slice, the
 * reasons each slice gave are kept, so the message can say which slices came close and why.
 */
import type { Terminology } from '../terminology/index.js';
import type { Discriminator, ElementSchema, SchemaCompiler, Slicing } from './schema.js';
import { describeValue, matchesPattern } from './values.js';

export interface SliceVerdict {
  match: boolean;
  /** Why the item is not in the slice (when it is not); built only when a message needs it. */
  reason?: () => string;
  /** The discriminator cannot be evaluated (an unsupported path); the item is then not matched. */
  unsupported?: string;
}

/** An item of a sliced element, as the walker found it. */
export interface SliceCandidate {
  value: unknown;
  /** The FHIR type of the item (from the choice suffix, the resourceType, or the element's single type). */
  type: string;
}

type Step =
  | { kind: 'name'; name: string }
  | { kind: 'extension'; url: string }
  | { kind: 'ofType'; type: string }
  | { kind: 'resolve' };

const STEP_PATTERN =
  /^(?:extension\((['"])(.*?)\1\)|ofType\(([A-Za-z0-9_]+)\)|resolve\(\)|([A-Za-z_][A-Za-z0-9_]*))$/;

/** Splits a discriminator path (a restricted FHIRPath) into steps, or says why it cannot. */
const parsedPaths = new Map<string, Step[] | string>();

/** Discriminator paths are few and reused for every item: each is parsed once. */
function parsePathCached(path: string): Step[] | string {
  let steps = parsedPaths.get(path);
  if (steps === undefined) {
    steps = parsePath(path);
    parsedPaths.set(path, steps);
  }
  return steps;
}

function parsePath(path: string): Step[] | string {
  if (path === '$this' || path === '') return [];
  const steps: Step[] = [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of path.replace(/^\$this\./, '')) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === '.' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  for (const part of parts) {
    const match = STEP_PATTERN.exec(part);
    if (!match) return `the path step '${part}' is not supported`;
    if (match[2] !== undefined) steps.push({ kind: 'extension', url: match[2] });
    else if (match[3] !== undefined) steps.push({ kind: 'ofType', type: match[3] });
    else if (part === 'resolve()') steps.push({ kind: 'resolve' });
    else steps.push({ kind: 'name', name: match[4] ?? part });
  }
  return steps;
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Walks the instance along the steps; choice names match any `name<Type>` property. */
function instanceValues(value: unknown, steps: Step[]): { value: unknown; type?: string }[] {
  let current: { value: unknown; type?: string }[] = [{ value }];
  for (const step of steps) {
    const next: { value: unknown; type?: string }[] = [];
    for (const { value: item, type } of current) {
      if (typeof item !== 'object' || item === null) continue;
      const record = item as Record<string, unknown>;
      if (step.kind === 'name') {
        const push = (v: unknown, t?: string) => {
          if (Array.isArray(v))
            for (const element of v) next.push({ value: element, ...(t ? { type: t } : {}) });
          else if (v !== undefined && v !== null) next.push({ value: v, ...(t ? { type: t } : {}) });
        };
        if (Object.hasOwn(record, step.name)) push(record[step.name]);
        else {
          for (const key of Object.keys(record)) {
            if (key.startsWith(step.name) && /^[A-Z]/.test(key.slice(step.name.length)))
              push(record[key], key.slice(step.name.length));
          }
        }
      } else if (step.kind === 'extension') {
        const extensions = Array.isArray(record.extension) ? record.extension : [];
        for (const extension of extensions) {
          if ((extension as { url?: unknown })?.url === step.url) next.push({ value: extension });
        }
      } else if (step.kind === 'ofType') {
        const actual = type ?? (typeof record.resourceType === 'string' ? record.resourceType : undefined);
        if (actual === undefined || actual.toLowerCase() === step.type.toLowerCase())
          next.push({ value: item, type: step.type });
      }
    }
    current = next;
  }
  return current;
}

export class SliceMatcher {
  constructor(
    private readonly compiler: SchemaCompiler,
    private readonly terminology: Terminology,
  ) {}

  /**
   * The element definitions of the slice that the discriminator path leads to, and the values a fixed
   * value or pattern on an element along the way already sets at the end of the path (a pattern on
   * `category` sets `category.coding.code`).
   */
  private readonly reachedBySlice = new WeakMap<
    ElementSchema,
    Map<string, ReturnType<SliceMatcher['sliceNodes']>>
  >();

  /** What a discriminator path reaches in a slice depends on nothing else: computed once per slice. */
  private sliceNodesCached(
    slice: ElementSchema,
    path: string,
    steps: Step[],
  ): ReturnType<SliceMatcher['sliceNodes']> {
    let bySlice = this.reachedBySlice.get(slice);
    if (!bySlice) {
      bySlice = new Map();
      this.reachedBySlice.set(slice, bySlice);
    }
    let reached = bySlice.get(path);
    if (reached === undefined) {
      reached = this.sliceNodes(slice, steps);
      bySlice.set(path, reached);
    }
    return reached;
  }

  private sliceNodes(
    slice: ElementSchema,
    steps: Step[],
  ): { nodes: ElementSchema[]; inherited: unknown[] } | string {
    let nodes: ElementSchema[] = [slice];
    let inherited: unknown[] | undefined;
    for (const [index, step] of steps.entries()) {
      if (inherited === undefined) {
        const constrained = nodes.find((n) => n.fixed || n.pattern);
        if (constrained)
          inherited = instanceValues(
            constrained.fixed?.value ?? constrained.pattern?.value,
            steps.slice(index),
          ).map((v) => v.value);
      }
      const next: ElementSchema[] = [];
      for (const node of nodes) {
        if (step.kind === 'name') {
          const children = this.compiler.childrenOf(node);
          const child =
            children.find((c) => c.name === step.name) ??
            children.find(
              (c) =>
                c.isChoice &&
                step.name.startsWith(c.name) &&
                c.types.some((t) => upperFirst(t.code) === step.name.slice(c.name.length)),
            );
          if (child) next.push(child);
        } else if (step.kind === 'extension') {
          const extension = this.compiler.childrenOf(node).find((c) => c.name === 'extension');
          const matching = extension?.slices.find(
            (s) =>
              s.types.some((t) => t.profiles.includes(step.url)) || fixedUrl(this.compiler, s) === step.url,
          );
          if (matching) next.push(matching);
          else if (extension) {
            // The extension definition itself decides what the extension holds.
            const compiled = this.compiler.compile(step.url);
            if (compiled.ok) next.push(compiled.structure.root);
          }
        } else if (step.kind === 'ofType') {
          next.push({ ...node, types: node.types.filter((t) => t.code === step.type) });
        } else return 'resolve() in a discriminator needs the referenced resource';
      }
      nodes = next;
    }
    return { nodes, inherited: inherited ?? [] };
  }

  private inValueSet(value: unknown, valueSet: string): boolean {
    return codingsOf(value).some(
      (c) => this.terminology.checkCode(valueSet, c.system, c.code).result === 'valid',
    );
  }

  matches(
    candidate: SliceCandidate,
    slice: ElementSchema,
    slicing: Slicing,
    evaluateProfile: (value: unknown, profile: string) => boolean,
  ): SliceVerdict {
    for (const discriminator of slicing.discriminators) {
      const verdict = this.matchDiscriminator(candidate, slice, discriminator, evaluateProfile);
      if (!verdict.match) return verdict;
    }
    return { match: true };
  }

  private matchDiscriminator(
    candidate: SliceCandidate,
    slice: ElementSchema,
    discriminator: Discriminator,
    evaluateProfile: (value: unknown, profile: string) => boolean,
  ): SliceVerdict {
    const steps = parsePathCached(discriminator.path);
    if (typeof steps === 'string') return { match: false, unsupported: steps };
    const reached = this.sliceNodesCached(slice, discriminator.path, steps);
    if (typeof reached === 'string') return { match: false, unsupported: reached };
    const { nodes, inherited } = reached;
    const values = instanceValues(candidate.value, steps);
    const where = discriminator.path === '$this' ? 'the item' : discriminator.path;

    switch (discriminator.type) {
      case 'value':
      case 'pattern': {
        const node = nodes[0];
        let expected =
          node?.fixed?.value ?? node?.pattern?.value ?? (inherited.length === 1 ? inherited[0] : undefined);
        // An extension slice is told apart by its url, which the extension's type profile gives.
        if (expected === undefined && discriminator.path === 'url' && slice.types[0]?.profiles[0])
          expected = slice.types[0].profiles[0];
        // A slice told apart by a required binding takes the items whose code is in its value set.
        if (expected === undefined && node?.binding?.strength === 'required' && node.binding.valueSet) {
          const valueSet = node.binding.valueSet;
          if (values.some(({ value }) => this.inValueSet(value, valueSet))) return { match: true };
          return {
            match: false,
            reason: () => `${where} is not in ${valueSet}, which slice '${slice.sliceName}' requires`,
          };
        }
        // A slice that sets nothing at the discriminator's path takes any value there.
        if (expected === undefined) return { match: true };
        if (values.length === 0)
          return {
            match: false,
            reason: () =>
              `${where} is missing, and slice '${slice.sliceName}' needs ${describeValue(expected)}`,
          };
        const ok = values.some(({ value }) => matchesPattern(value, expected));
        return ok
          ? { match: true }
          : {
              match: false,
              reason: () =>
                `${where} is ${describeValue(values[0]?.value)}, slice '${slice.sliceName}' needs ${describeValue(expected)}`,
            };
      }
      case 'exists': {
        const node = nodes[0];
        const mustExist = (node?.min ?? 0) >= 1;
        const mustNotExist = node?.max === 0;
        const exists = values.length > 0;
        if (mustExist && !exists)
          return {
            match: false,
            reason: () => `${where} is missing, slice '${slice.sliceName}' requires it`,
          };
        if (mustNotExist && exists)
          return { match: false, reason: () => `${where} is present, slice '${slice.sliceName}' forbids it` };
        return { match: true };
      }
      case 'type': {
        const allowed = new Set(nodes.flatMap((n) => n.types.map((t) => t.code.toLowerCase())));
        const actual =
          steps.length === 0
            ? [candidate.type]
            : values.map((v) => v.type ?? (v.value as { resourceType?: string })?.resourceType ?? '');
        if (actual.length === 0) return { match: false, reason: () => `${where} is missing` };
        const ok = actual.some((t) => allowed.has(t.toLowerCase()));
        return ok
          ? { match: true }
          : {
              match: false,
              reason: () =>
                `${where} is a ${actual[0]}, slice '${slice.sliceName}' takes ${[...allowed].join(', ')}`,
            };
      }
      case 'profile': {
        const profiles = nodes.flatMap((n) => n.types.flatMap((t) => [...t.profiles, ...t.targetProfiles]));
        if (profiles.length === 0)
          return { match: false, unsupported: `slice '${slice.sliceName}' names no profile at ${where}` };
        const ok = values.some(({ value }) => profiles.some((profile) => evaluateProfile(value, profile)));
        return ok
          ? { match: true }
          : { match: false, reason: () => `${where} does not conform to ${profiles.join(' or ')}` };
      }
      default:
        return {
          match: false,
          unsupported: `the discriminator type '${String(discriminator.type)}' is unknown`,
        };
    }
  }
}

function codingsOf(value: unknown): { system?: string; code: string }[] {
  if (typeof value === 'string') return [{ code: value }];
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.coding)) return record.coding.flatMap(codingsOf);
  if (typeof record.code !== 'string') return [];
  return [{ ...(typeof record.system === 'string' ? { system: record.system } : {}), code: record.code }];
}

function fixedUrl(compiler: SchemaCompiler, slice: ElementSchema): unknown {
  const url = compiler.childrenOf(slice).find((c) => c.name === 'url');
  return url?.fixed?.value;
}
