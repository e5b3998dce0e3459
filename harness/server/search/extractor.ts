/**
 * Runs a search parameter's FHIRPath expression on a resource and turns the result into index values,
 * the cheapest way that gives fhirpath.js's answer: a walk of the JSON for a plain path, the validator's
 * native FHIRPath for the subset it compiles (`where()`, `exists()`, type tests...), fhirpath.js (R4
 * model) for the rest and for a resource the native code cannot judge. Each expression is compiled once
 * per (type, parameter), restricted to the alternatives for that type. `x.where(resolve() is T)` is
 * rewritten to a test on the reference text, as nothing is resolved at index time.
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { elementChild, isBackboneType, type ElementChild } from '../../fhir/element-paths.js';
import { compileNativeItems } from '../../validator/native-invariants.js';
import { expressionForType } from './parameters.js';
import type { SearchParameterInfo } from './types.js';
import {
  dateValues,
  numberValues,
  quantityValues,
  referenceValues,
  stringValues,
  tokenValues,
  uriValues,
  type TypedNode,
} from './values.js';

/** How an extractor reads the resource: a plain path walk, native FHIRPath, or fhirpath.js. */
export type ExtractionWay = 'plain' | 'native' | 'fhirpath';

export type Extractor = ((resource: unknown) => unknown[]) & { readonly way: ExtractionWay };

const extractor = (way: ExtractionWay, extract: (resource: unknown) => unknown[]): Extractor =>
  Object.assign(extract, { way });

type Evaluator = (data: unknown) => unknown[];

const VALUE_MAKERS: Partial<Record<SearchParameterInfo['type'], (node: TypedNode, out: unknown[]) => void>> =
  {
    token: tokenValues as (node: TypedNode, out: unknown[]) => void,
    string: stringValues as (node: TypedNode, out: unknown[]) => void,
    reference: referenceValues as (node: TypedNode, out: unknown[]) => void,
    date: dateValues as (node: TypedNode, out: unknown[]) => void,
    number: numberValues as (node: TypedNode, out: unknown[]) => void,
    quantity: quantityValues as (node: TypedNode, out: unknown[]) => void,
    uri: uriValues as (node: TypedNode, out: unknown[]) => void,
  };

/** Whether a parameter type is indexed (composite and special are not). */
export function isIndexedType(type: SearchParameterInfo['type']): boolean {
  return VALUE_MAKERS[type] !== undefined;
}

/** An extractor for a parameter on a type, or an error saying why there is none. */
export function compileExtractor(
  info: SearchParameterInfo,
  type: string,
  /** false: always fhirpath.js (the test comparing the ways uses it). */
  fast = true,
): Extractor | { error: string } {
  const makeValues = VALUE_MAKERS[info.type];
  if (!makeValues) return { error: `${info.type} parameters are not supported` };
  if (!info.expression) return { error: 'the parameter has no expression' };
  const expression = expressionForType(info.expression, type);
  if (!expression) return { error: `the expression has no part for ${type}` };
  const plain = fast ? plainPathWalker(expression) : undefined;
  if (plain) {
    return extractor('plain', (resource) => {
      const out: unknown[] = [];
      for (const node of plain(resource)) makeValues(node, out);
      return out;
    });
  }
  let evaluate: Evaluator;
  const rewritten = rewriteResolve(expression);
  try {
    evaluate = fhirpath.compile(rewritten, r4Model, { resolveInternalTypes: false }) as Evaluator;
  } catch (error) {
    return { error: `the expression cannot be compiled: ${(error as Error).message}` };
  }
  const slow = (resource: unknown, out: unknown[]): unknown[] => {
    let nodes: unknown[];
    try {
      nodes = evaluate(resource);
    } catch {
      return out; // an expression that fails on this resource gives it no values
    }
    for (const node of nodes) makeValues(typedNode(node), out);
    return out;
  };
  // The validator's native FHIRPath (where(), exists(), comparisons...) on the JSON; fhirpath.js for
  // what it does not compile, and for a resource it cannot judge.
  const native = fast ? compileNativeItems(type, rewritten) : undefined;
  if (!native) return extractor('fhirpath', (resource) => slow(resource, []));
  return extractor('native', (resource) => {
    const items = native(resource);
    if (!items) return slow(resource, []);
    const out: unknown[] = [];
    for (const item of items)
      if (item.v !== undefined) makeValues({ fhirType: nativeType(item.t), data: item.v }, out);
    return out;
  });
}

/** A native item's type as fhirpath.js names it for the value makers: FHIRPath's own types have none. */
function nativeType(type: string): string | undefined {
  return type.startsWith('System.') ? undefined : type;
}

const PLAIN_PATH = /^[A-Z][A-Za-z]+(\.[a-z][A-Za-z0-9]*)+$/;

/**
 * Most parameters' expressions are plain element paths (`Claim.patient`, `Patient.name.family`, or a
 * union of them): those are walked on the JSON directly, each value typed from the R4 model, which is
 * what fhirpath.js would give for them at a fraction of the cost. Anything else (functions, choice
 * elements, `as`, `where`) goes to fhirpath.js. undefined: not a plain path.
 */
export function plainPathWalker(expression: string): ((resource: unknown) => TypedNode[]) | undefined {
  const alternatives = expression.split('|').map((part) => part.trim());
  const paths: { segments: string[]; type: string }[] = [];
  for (const alternative of alternatives) {
    if (!PLAIN_PATH.test(alternative)) return undefined;
    const [, ...segments] = alternative.split('.');
    const type = leafType(alternative);
    if (type === undefined) return undefined;
    paths.push({ segments, type });
  }
  return (resource) => {
    const out: TypedNode[] = [];
    for (const { segments, type } of paths) {
      const last = segments.length - 1;
      // Depth first, straight into `out`: no list per level.
      const visit = (holder: unknown, depth: number): void => {
        if (typeof holder !== 'object' || holder === null || Array.isArray(holder)) return;
        const value = (holder as Record<string, unknown>)[segments[depth]!];
        if (value === null || value === undefined) return;
        if (Array.isArray(value)) {
          for (const item of value)
            if (item === null || item === undefined) continue;
            else if (depth === last) out.push({ fhirType: type, data: item });
            else visit(item, depth + 1);
        } else if (depth === last) out.push({ fhirType: type, data: value });
        else visit(value, depth + 1);
      };
      visit(resource, 0);
    }
    return out;
  };
}

/** The FHIR type at the end of a plain path, following datatypes and backbone elements. */
function leafType(path: string): string | undefined {
  const [root, ...segments] = path.split('.');
  let child: ElementChild | undefined;
  let scope: string | undefined = root;
  for (const segment of segments) {
    child = scope === undefined ? undefined : elementChild(scope, segment);
    if (child?.type === undefined) return undefined; // unknown, or a choice
    scope = child.scope;
  }
  return child?.type === undefined || isBackboneType(child.type) ? undefined : child.type;
}

/** `.where(resolve() is Patient)` -> a test that the reference text names a Patient. */
export function rewriteResolve(expression: string): string {
  return expression.replace(
    /\.where\(\s*resolve\(\)\s+is\s+([A-Za-z]+)\s*\)/g,
    (_, target: string) => `.where(reference.matches('(^|/)${target}/[^/]+(/_history/[^/]+)?$'))`,
  );
}

interface FhirPathNode {
  data: unknown;
  fhirNodeDataType?: string | null;
}

function typedNode(node: unknown): TypedNode {
  if (typeof node === 'object' && node !== null && 'fhirNodeDataType' in node && 'data' in node) {
    const { data, fhirNodeDataType } = node as FhirPathNode;
    return { fhirType: fhirNodeDataType ?? undefined, data };
  }
  return { fhirType: undefined, data: node };
}
