/**
 * FHIRPath's operators for native invariants (native-invariants.ts), on their compiled operands: logic
 * in three values, comparisons, membership, union and arithmetic, each as fhirpath.js evaluates it, and
 * no answer (undefined) where only fhirpath.js can say.
 */
import {
  DECIMAL,
  EMPTY,
  ORDERINGS,
  STRING,
  bool,
  holds,
  kindOf,
  order,
  truth,
  type Collection,
  type Evaluation,
  type Item,
} from './native-values.js';

export function compileLogic(operator: string, left: Evaluation, right: Evaluation): Evaluation | undefined {
  const decide: ((a: boolean | undefined, b: boolean | undefined) => boolean | undefined) | undefined = {
    or: (a: boolean | undefined, b: boolean | undefined) =>
      a === true || b === true ? true : a === false && b === false ? false : undefined,
    xor: (a: boolean | undefined, b: boolean | undefined) =>
      a === undefined || b === undefined ? undefined : a !== b,
    AndExpression: (a: boolean | undefined, b: boolean | undefined) =>
      a === false || b === false ? false : a === true && b === true ? true : undefined,
    ImpliesExpression: (a: boolean | undefined, b: boolean | undefined) =>
      a === false || b === true ? true : a === true && b === false ? false : undefined,
  }[operator];
  if (!decide) return undefined;
  return (focus, scope) => {
    const a = left(focus, scope);
    const b = right(focus, scope);
    if (!a || !b) return undefined;
    const x = truth(a);
    const y = truth(b);
    if (x === null || y === null) return undefined;
    const answer = decide(x, y);
    return answer === undefined ? EMPTY : bool(answer);
  };
}

export function compileComparison(
  operator: string,
  left: Evaluation,
  right: Evaluation,
): Evaluation | undefined {
  const test = Object.hasOwn(ORDERINGS, operator) ? ORDERINGS[operator] : undefined;
  if (!test) return undefined;
  const equality = operator === '=' || operator === '!=';
  return (focus, scope) => {
    const a = left(focus, scope);
    const b = right(focus, scope);
    if (!a || !b) return undefined;
    if (a.length === 0 || b.length === 0) return EMPTY;
    if (a.length !== 1 || b.length !== 1) return undefined;
    const x = a[0] as Item;
    if (!equality && typeof x.v === 'boolean') return undefined;
    const found = order(x, b[0] as Item, equality);
    return found === undefined ? undefined : bool(test(found));
  };
}

/** `x in list`, `list contains x`, on one primitive value. */
export function compileMembership(
  operator: string,
  left: Evaluation,
  right: Evaluation,
): Evaluation | undefined {
  if (operator !== 'in' && operator !== 'contains') return undefined;
  return (focus, scope) => {
    const a = left(focus, scope);
    const b = right(focus, scope);
    if (!a || !b) return undefined;
    const [one, list] = operator === 'in' ? [a, b] : [b, a];
    if (one.length === 0) return EMPTY;
    if (one.length > 1) return undefined;
    const found = holds(list, one[0] as Item);
    return found === undefined ? undefined : bool(found);
  };
}

/** `a | b`: both collections, without repeats (primitive values only). */
export function compileUnion(left: Evaluation, right: Evaluation): Evaluation {
  return (focus, scope) => {
    const a = left(focus, scope);
    const b = right(focus, scope);
    if (!a || !b) return undefined;
    const out: Collection = [];
    for (const item of [...a, ...b]) {
      const repeated = holds(out, item);
      if (repeated === undefined || kindOf(item) === undefined) return undefined;
      if (!repeated) out.push(item);
    }
    return out;
  };
}

// ---- arithmetic -------------------------------------------------------------------------------------

/**
 * `+`, `-`, `*`, `&` as fhirpath.js computes them: numbers in floating point, the result a decimal
 * object (compared at 1e-8); `+` joins two strings, `&` too, reading an empty operand as ''.
 */
export function compileArithmetic(
  operator: string,
  left: Evaluation,
  right: Evaluation,
): Evaluation | undefined {
  if (operator !== '+' && operator !== '-' && operator !== '*' && operator !== '&') return undefined;
  return (focus, scope) => {
    const a = left(focus, scope);
    const b = right(focus, scope);
    if (!a || !b || a.length > 1 || b.length > 1) return undefined;
    const [x, y] = [a[0], b[0]];
    if (operator === '&') {
      const texts = [x, y].map((item) =>
        item === undefined ? '' : kindOf(item) === 'string' ? item.v : null,
      );
      return texts.includes(null)
        ? undefined
        : [{ v: `${texts[0] as string}${texts[1] as string}`, t: STRING }];
    }
    if (!x || !y) return EMPTY;
    const kind = kindOf(x);
    if (kind !== kindOf(y)) return undefined;
    if (kind === 'string' && operator === '+') return [{ v: `${x.v as string}${y.v as string}`, t: STRING }];
    if (kind !== 'number') return undefined;
    const [p, q] = [x.v as number, y.v as number];
    return [{ v: operator === '+' ? p + q : operator === '-' ? p - q : p * q, t: DECIMAL }];
  };
}
