/**
 * Invariants of two simple shapes, evaluated on the JSON without fhirpath.js.
 *
 * Presence: invariants that only ask whether elements are there:
 * `code.empty() or system.exists()` (qty-3), `comparator.empty()` (sqty-1), `low.exists() or
 * high.exists() or text.exists()` (obs-3) and the like are most of the invariants a typical resource
 * meets (every Quantity has two), and fhirpath.js builds a node tree for each evaluation.
 *
 * The grammar: terms `a.b.exists()` or `a.b.empty()`, each optionally followed by `.not()`, joined by
 * `and` (binding tighter) and `or`; no parentheses, no other functions. Each path segment is resolved
 * from the element's type in fhirpath.js's R4 model, so a choice element (`value`) is found under its
 * typed names (`valueQuantity`) and a primitive counts when only its `_x` extension is there, as
 * fhirpath.js counts them. Anything else, or a path the model does not know, is left to fhirpath.js.
 *
 * Distinctness: `a.b.isDistinct()` (oi-claim-2's `item.sequence.isDistinct()`) over primitive values,
 * which FHIRPath compares by value; when a value is not a primitive the native test gives no answer
 * and fhirpath.js decides.
 */
import { elementChild, elementScope } from '../fhir/element-paths.js';

/** One step of a path: the JSON keys that hold it (one, or one per type of a choice). */
interface Step {
  keys: string[];
}

type Term = { steps: Step[]; wantExists: boolean };

const NAME = '(?:[a-z][A-Za-z0-9]*|`[a-z][A-Za-z0-9]*`)';
const PATH = `${NAME}(?:\\.${NAME})*`;
const TERM = new RegExp(`^(${PATH})\\.(exists|empty)\\(\\)(\\.not\\(\\))?$`);
const DISTINCT = new RegExp(`^(${PATH})\\.isDistinct\\(\\)$`);

/** `a.\`div\`` -> ['a', 'div']: a backquoted name is the name. */
const segmentsOf = (path: string) => path.split('.').map((segment) => segment.replace(/`/g, ''));

/**
 * A native test for the expression on elements at `basePath`: true or false, or undefined when the
 * node holds what only fhirpath.js can judge. undefined (no function): not an expression of these
 * shapes.
 */
export function compileNative(
  basePath: string,
  expression: string,
): ((node: unknown) => boolean | undefined) | undefined {
  const distinct = DISTINCT.exec(expression);
  if (distinct) {
    const steps = stepsOf(basePath, segmentsOf(distinct[1] as string));
    return steps ? (node) => isDistinct(node, steps) : undefined;
  }
  return compilePresence(basePath, expression);
}

/** A native test for the expression on elements at `basePath`, or undefined when it is not one. */
function compilePresence(basePath: string, expression: string): ((node: unknown) => boolean) | undefined {
  if (/[()]/.test(expression.replace(/\.(exists|empty|not)\(\)/g, ''))) return undefined;
  if (/\bisDistinct\b/.test(expression)) return undefined;
  const disjuncts: Term[][] = [];
  for (const disjunct of expression.split(' or ')) {
    const terms: Term[] = [];
    for (const text of disjunct.split(' and ')) {
      const match = TERM.exec(text.trim());
      if (!match) return undefined;
      const steps = stepsOf(basePath, segmentsOf(match[1] as string));
      if (!steps) return undefined;
      // exists() and empty().not() ask the same; empty() and exists().not() too.
      terms.push({ steps, wantExists: (match[2] === 'exists') !== (match[3] !== undefined) });
    }
    disjuncts.push(terms);
  }
  return (node) =>
    disjuncts.some((terms) => terms.every((term) => present(node, term.steps) === term.wantExists));
}

function stepsOf(basePath: string, segments: string[]): Step[] | undefined {
  let scope = elementScope(basePath.replace(/\[x\]/g, ''));
  const steps: Step[] = [];
  for (const segment of segments) {
    const child = scope === undefined ? undefined : elementChild(scope, segment);
    if (!child) return undefined;
    steps.push({ keys: child.keys });
    scope = child.scope; // below a choice nothing is known: a further segment gives up
  }
  return steps;
}

/** The values the path selects from the node. */
function select(node: unknown, steps: Step[]): unknown[] {
  let level: unknown[] = [node];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const holder of level) {
      if (typeof holder !== 'object' || holder === null || Array.isArray(holder)) continue;
      const record = holder as Record<string, unknown>;
      for (const key of step.keys) collect(record[key], record[`_${key}`], next);
    }
    level = next;
  }
  return level;
}

/** Whether the selected values are all different; undefined when one is not a primitive value. */
function isDistinct(node: unknown, steps: Step[]): boolean | undefined {
  const values = select(node, steps);
  const seen = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      return undefined;
    seen.add(`${typeof value}:${String(value)}`);
  }
  return seen.size === values.length;
}

/** Whether the path selects anything from the node. */
const present = (node: unknown, steps: Step[]) => select(node, steps).length > 0;

/** The values of a key, a primitive counting when its `_key` companion alone is there. */
function collect(value: unknown, companion: unknown, into: unknown[]): void {
  if (Array.isArray(value)) {
    const extensions = Array.isArray(companion) ? companion : [];
    value.forEach((item, i) => {
      if (item !== null && item !== undefined) into.push(item);
      else if (extensions[i] !== null && extensions[i] !== undefined) into.push(extensions[i]);
    });
    return;
  }
  if (value !== null && value !== undefined) into.push(value);
  else if (companion !== null && companion !== undefined && !Array.isArray(companion)) into.push(companion);
}
