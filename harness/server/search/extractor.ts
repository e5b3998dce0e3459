/**
 * Runs a search parameter's FHIRPath expression on a resource with fhirpath.js (R4 model) and turns the
 * result into index values. Each expression is compiled once per (type, parameter), restricted to the
 * alternatives for that type. `x.where(resolve() is T)` is rewritten to a test on the reference text, as
 * nothing is resolved at index time.
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
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

export type Extractor = (resource: unknown) => unknown[];

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
export function compileExtractor(info: SearchParameterInfo, type: string): Extractor | { error: string } {
  const makeValues = VALUE_MAKERS[info.type];
  if (!makeValues) return { error: `${info.type} parameters are not supported` };
  if (!info.expression) return { error: 'the parameter has no expression' };
  const expression = expressionForType(info.expression, type);
  if (!expression) return { error: `the expression has no part for ${type}` };
  let evaluate: Evaluator;
  try {
    evaluate = fhirpath.compile(rewriteResolve(expression), r4Model, {
      resolveInternalTypes: false,
    }) as Evaluator;
  } catch (error) {
    return { error: `the expression cannot be compiled: ${(error as Error).message}` };
  }
  return (resource) => {
    const out: unknown[] = [];
    let nodes: unknown[];
    try {
      nodes = evaluate(resource);
    } catch {
      return out; // an expression that fails on this resource gives it no values
    }
    for (const node of nodes) makeValues(typedNode(node), out);
    return out;
  };
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
