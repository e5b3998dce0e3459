/**
 * Invariants (ElementDefinition.constraint) evaluated with fhirpath.js on the R4 model. Each expression is
 * compiled once per element path. A few core invariants that hold on every element or resource are
 * checked by the walker itself, faster and with better messages: ele-1 (no empty elements), ext-1
 * (an extension has a value or extensions, not both), ref-1 (local references resolve; the reference
 * checker does it), txt-1 and txt-2 (the narrative check) and dom-2 to dom-5 (contained resources).
 * Invariants written in the subset of FHIRPath that native-invariants.ts compiles (paths, existence,
 * logic, comparisons, sums) are evaluated there on the JSON, fhirpath.js answering what they cannot.
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { BUNDLE_VARIABLE, VALIDATOR_FUNCTIONS } from './fhirpath-functions.js';
import type { Constraint } from './schema.js';
import { describeError } from './describe.js';
import { compileNative } from './native-invariants.js';

/** Checked natively by the walker; never sent to fhirpath. */
export const NATIVE_INVARIANTS = new Set([
  'ele-1',
  'ext-1',
  'ref-1',
  'txt-1',
  'txt-2',
  'dom-2',
  'dom-3',
  'dom-4',
  'dom-5',
]);

const ignoreTrace = (): void => undefined;

type Evaluator = (data: unknown, env?: Record<string, unknown>) => unknown[];

/**
 * What an expression sees around its node (fhirpath.html#vars): %resource, the resource that holds it;
 * %rootResource, that resource's container when it is contained, else the resource itself; and the
 * Bundle it sits in, where resolve() looks for references.
 */
export interface InvariantContext {
  resource: unknown;
  rootResource: unknown;
  bundle?: unknown;
}

export type InvariantResult = { status: 'pass' } | { status: 'fail' } | { status: 'error'; message: string };

/** The expression compiled by fhirpath.js, at its element path. */
function interpret(basePath: string, expression: string): Evaluator | { error: string } {
  try {
    const base = basePath.replace(/\[x\]/g, '');
    // trace() output (dom-3 uses it) goes nowhere: the validator stays silent.
    return fhirpath.compile(base.includes('.') ? { base, expression } : expression, r4Model, {
      traceFn: ignoreTrace,
      userInvocationTable: VALIDATOR_FUNCTIONS,
    }) as Evaluator;
  } catch (error) {
    return { error: describeError(error) };
  }
}

export class InvariantEvaluator {
  private readonly compiled = new Map<string, Evaluator | { error: string }>();

  private compile(basePath: string, expression: string): Evaluator | { error: string } {
    const key = `${basePath}\u0000${expression}`;
    let entry = this.compiled.get(key);
    if (!entry) {
      const native = compileNative(basePath, expression);
      let interpreted: Evaluator | { error: string } | undefined;
      // fhirpath.js is compiled only when the native test has no answer (a value it cannot judge).
      entry = native
        ? (data, env) => {
            const answer = native(data);
            if (answer !== undefined) return answer;
            interpreted ??= interpret(basePath, expression);
            if ('error' in interpreted) throw new Error(interpreted.error);
            return interpreted(data, env);
          }
        : interpret(basePath, expression);
      this.compiled.set(key, entry);
    }
    return entry;
  }

  evaluate(
    constraint: Constraint,
    basePath: string,
    node: unknown,
    around: InvariantContext,
  ): InvariantResult {
    if (!constraint.expression) return { status: 'pass' };
    return this.test(constraint.expression, basePath, node, around);
  }

  /** An expression read as a condition, as the HL7 validator reads one: pass, fail, or could not run. */
  test(expression: string, basePath: string, node: unknown, around: InvariantContext): InvariantResult {
    const result = this.select(expression, basePath, node, around);
    if ('error' in result) return { status: 'error', message: result.error };
    // One boolean is its value; otherwise, any output is true.
    const values = result.values;
    if (values.length === 1 && typeof values[0] === 'boolean') return { status: values[0] ? 'pass' : 'fail' };
    return { status: values.length > 0 ? 'pass' : 'fail' };
  }

  /** What an expression selects from a node (the JSON values themselves), or why it could not run. */
  select(
    expression: string,
    basePath: string,
    node: unknown,
    around: InvariantContext,
  ): { values: unknown[] } | { error: string } {
    const evaluator = this.compile(basePath, expression);
    if ('error' in evaluator) return { error: evaluator.error };
    try {
      return {
        values: evaluator(node, {
          resource: around.resource,
          rootResource: around.rootResource,
          context: node,
          ...(around.bundle ? { [BUNDLE_VARIABLE]: around.bundle } : {}),
        }),
      };
    } catch (error) {
      return { error: describeError(error) };
    }
  }
}
