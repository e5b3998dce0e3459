/**
 * Invariants evaluated on the JSON without fhirpath.js, for the part of FHIRPath they are written in.
 *
 * fhirpath.js builds a node tree and a context for each evaluation; most invariants a resource meets are
 * simple (`code.empty() or system.exists()`, per-1's `start <= end`, oi-claim-1's sum of its lines), and
 * answering them on the JSON is many times faster. The expression is parsed by fhirpath.js's own parser
 * and compiled into closures, once per element path, for this subset:
 *
 * - paths of element names resolved in fhirpath.js's R4 model (choices by their typed keys, a primitive
 *   present through its `_x` companion alone counting as there), `$this`, `$total`;
 * - literals: strings without escapes, numbers, booleans, `{}`;
 * - `and`, `or`, `xor`, `implies` in FHIRPath's three-valued logic; `=`, `!=`; `<`, `<=`, `>`, `>=`;
 *   `+`, `-`, `*` on numbers and `+`, `&` on strings; `in`, `contains` and `|` on primitive values;
 *   `%ucum`;
 * - exists, empty, not, count, hasValue, first, tail, isDistinct, where, select, all, exists(criteria),
 *   aggregate, toString, substring, startsWith, endsWith, contains, matches, length, abs.
 *
 * Anything else is not compiled (fhirpath.js evaluates the expression). Where a value is outside what
 * the subset judges exactly — dates of different precision or with a time, a primitive present only
 * through its extension where its value is needed, a collection where FHIRPath wants one item (an
 * error in fhirpath.js), values of different types compared — the native test gives no answer and
 * fhirpath.js decides. Both sides of every operator are evaluated, as fhirpath.js does, so an error on
 * one side is never hidden by the other. A test runs every core and IG invariant through both.
 */
import fhirpath from 'fhirpath';
import { elementChild, elementScope, type ElementChild } from '../fhir/element-paths.js';
import { isPrimitiveType } from './primitive-types.js';

/** One value with its type: a FHIR type name, a backbone element's path, or a FHIRPath result type. */
interface Item {
  /** The JSON value; undefined for a primitive present only through its `_x` extension companion. */
  v: unknown;
  t: string;
  /** The primitive's `_x` companion (its id and extensions), when it has one. */
  companion?: unknown;
}

type Collection = Item[];

/** What `$this` and `$total` are while a criteria or an aggregation runs. */
interface Scope {
  self: Item | undefined;
  total: Collection | undefined;
}

/** An expression compiled: its result on a focus, or undefined when only fhirpath.js can answer. */
type Evaluation = (focus: Collection, scope: Scope) => Collection | undefined;

/** A node of fhirpath.js's parse tree. */
interface AstNode {
  type: string;
  text?: string;
  children?: AstNode[];
}

/**
 * Types of computed values. fhirpath.js reads a number literal, and the result of arithmetic, as a
 * decimal object (compared at its precision, 1e-8), while a number from the resource or from count()
 * stays a plain number (compared as is): DECIMAL marks the former.
 */
const BOOLEAN = 'System.Boolean';
const STRING = 'System.String';
const INTEGER = 'System.Integer';
const DECIMAL = 'System.Decimal';

const TRUE: Collection = [{ v: true, t: BOOLEAN }];
const FALSE: Collection = [{ v: false, t: BOOLEAN }];
const EMPTY: Collection = [];
const bool = (value: boolean): Collection => (value ? TRUE : FALSE);

const STRING_TYPES = new Set([
  'string',
  'code',
  'id',
  'uri',
  'url',
  'canonical',
  'oid',
  'uuid',
  'markdown',
  'base64Binary',
  STRING,
]);
const NUMBER_TYPES = new Set(['decimal', 'integer', 'positiveInt', 'unsignedInt', INTEGER, DECIMAL]);
const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);

/** The result of an expression read as a condition is decided here, from the JSON values. */
const valuesOf = (collection: Collection): unknown[] =>
  collection.map((item) => (item.v === undefined ? item.companion : item.v));

/**
 * A native test for the expression on elements at `basePath`: the values it selects, or undefined when
 * the node holds what only fhirpath.js can judge. undefined (no function): outside the subset.
 */
export function compileNative(
  basePath: string,
  expression: string,
): ((node: unknown) => unknown[] | undefined) | undefined {
  const rootType = elementScope(basePath.replace(/\[x\]/g, ''));
  if (rootType === undefined || isPrimitiveType(rootType)) return undefined;
  let tree: AstNode;
  try {
    tree = fhirpath.parse(expression) as AstNode;
  } catch {
    return undefined;
  }
  const evaluation = compileExpression(unwrap(tree), rootType);
  if (!evaluation) return undefined;
  return (node) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    const root: Item = { v: node, t: rootType };
    const result = evaluation([root], { self: root, total: undefined });
    return result && valuesOf(result);
  };
}

/** The expression under the EntireExpression wrappers. */
function unwrap(node: AstNode): AstNode {
  let current = node;
  while (current.type === 'EntireExpression' && current.children?.length === 1)
    current = current.children[0] as AstNode;
  return current;
}

const childrenOf = (node: AstNode): AstNode[] => node.children ?? [];

/** Compiles a node; `rootType` names what a leading type name may be (`Claim.item...`). */
function compileExpression(node: AstNode, rootType: string): Evaluation | undefined {
  const [left, right] = childrenOf(node);
  switch (node.type) {
    case 'TermExpression':
      return left && compileTerm(left, rootType);
    case 'InvocationExpression': {
      if (!left || !right) return undefined;
      const source = compileExpression(left, rootType);
      const invocation = compileInvocation(right, rootType);
      if (!source || !invocation) return undefined;
      return (focus, scope) => {
        const input = source(focus, scope);
        return input && invocation(input, scope);
      };
    }
    case 'OrExpression':
    case 'AndExpression':
    case 'ImpliesExpression':
      return compileLogic(
        node.type === 'OrExpression' ? (node.text ?? '') : node.type,
        left,
        right,
        rootType,
      );
    case 'EqualityExpression':
    case 'InequalityExpression':
      return compileComparison(node.text ?? '', left, right, rootType);
    case 'AdditiveExpression':
    case 'MultiplicativeExpression':
      return compileArithmetic(node.text ?? '', left, right, rootType);
    case 'MembershipExpression':
      return compileMembership(node.text ?? '', left, right, rootType);
    case 'UnionExpression':
      return compileUnion(left, right, rootType);
    default:
      return undefined;
  }
}

function compileTerm(term: AstNode, rootType: string): Evaluation | undefined {
  const [inner] = childrenOf(term);
  if (!inner) return undefined;
  switch (term.type) {
    case 'InvocationTerm': {
      // A leading type name filters the focus to that type; only the element's own type is taken.
      if (inner.type === 'MemberInvocation' && /^[A-Z]/.test(inner.text ?? ''))
        return inner.text === rootType ? (focus) => focus : undefined;
      return compileInvocation(inner, rootType);
    }
    case 'LiteralTerm':
      return compileLiteral(inner);
    case 'ParenthesizedTerm':
      return compileExpression(inner, rootType);
    case 'ExternalConstantTerm': {
      // %ucum is a constant; %resource and the others depend on where the node sits: fhirpath.js.
      const ucum: Collection = [{ v: 'http://unitsofmeasure.org', t: STRING }];
      return term.text === 'ucum' ? () => ucum : undefined;
    }
    default:
      return undefined;
  }
}

function compileLiteral(literal: AstNode): Evaluation | undefined {
  const text = literal.text ?? '';
  let constant: Collection;
  switch (literal.type) {
    case 'NullLiteral':
      constant = EMPTY;
      break;
    case 'BooleanLiteral':
      constant = bool(text === 'true');
      break;
    case 'StringLiteral':
      if (text.includes('\\') || text.length < 2) return undefined;
      constant = [{ v: text.slice(1, -1), t: STRING }];
      break;
    case 'NumberLiteral':
      constant = [{ v: Number(text), t: DECIMAL }];
      if (!Number.isFinite(constant[0]?.v)) return undefined;
      break;
    default:
      return undefined;
  }
  return () => constant;
}

function compileInvocation(invocation: AstNode, rootType: string): Evaluation | undefined {
  switch (invocation.type) {
    case 'MemberInvocation': {
      const name = (invocation.text ?? '').replace(/`/g, '');
      return /^[a-z][A-Za-z0-9]*$/.test(name) ? (focus) => navigate(focus, name) : undefined;
    }
    case 'ThisInvocation':
      return (_focus, scope) => (scope.self ? [scope.self] : undefined);
    case 'TotalInvocation':
      return (_focus, scope) => scope.total;
    case 'FunctionInvocation': {
      const [functn] = childrenOf(invocation);
      if (!functn) return undefined;
      const [identifier, params] = childrenOf(functn);
      return compileFunction(identifier?.text ?? '', params ? childrenOf(params) : [], rootType);
    }
    default:
      return undefined;
  }
}

// ---- navigation -------------------------------------------------------------------------------------

const children = new Map<string, Map<string, ElementChild | null>>();

/** A child of a type or backbone path, as the model knows it (memoised: every evaluation asks). */
function childOf(type: string, name: string): ElementChild | undefined {
  let byName = children.get(type);
  if (!byName) children.set(type, (byName = new Map()));
  let child = byName.get(name);
  if (child === undefined) byName.set(name, (child = elementChild(type, name) ?? null));
  return child ?? undefined;
}

/** The FHIR name of a type the model names (`DateTime` for a choice's dateTime). */
function fhirType(modelType: string): string {
  const primitive = (modelType[0]?.toLowerCase() ?? '') + modelType.slice(1);
  return isPrimitiveType(primitive) ? primitive : modelType;
}

function navigate(focus: Collection, name: string): Collection | undefined {
  const out: Collection = [];
  for (const item of focus) {
    const record = item.v;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
    const child = childOf(item.t, name);
    if (!child) return undefined;
    const holder = record as Record<string, unknown>;
    const types = child.choiceTypes;
    for (let k = 0; k < child.keys.length; k++) {
      const key = child.keys[k] as string;
      const type = types ? fhirType(types[k] as string) : (child.scope ?? child.type ?? '');
      if (!collect(holder[key], holder[`_${key}`], type, out)) return undefined;
    }
  }
  return out;
}

/** The items of a key, a primitive counting when its `_key` companion alone is there. */
function collect(value: unknown, companion: unknown, type: string, into: Collection): boolean {
  if (value === undefined && companion === undefined) return true;
  const abstract = type === 'Resource' || type === 'DomainResource';
  const add = (v: unknown, extension: unknown): boolean => {
    const companion = extension === null ? undefined : extension;
    if (v !== null && v !== undefined) {
      if (!abstract) into.push(companion === undefined ? { v, t: type } : { v, t: type, companion });
      else {
        // A resource in an element (Bundle.entry.resource): its own type says where its children are.
        const resourceType = (v as { resourceType?: unknown }).resourceType;
        if (typeof resourceType !== 'string' || elementScope(resourceType) === undefined) return false;
        into.push({ v, t: resourceType });
      }
    } else if (companion !== undefined) into.push({ v: undefined, t: type, companion });
    return true;
  };
  if (Array.isArray(value) || (value === undefined && Array.isArray(companion))) {
    const values = Array.isArray(value) ? value : [];
    const extensions = Array.isArray(companion) ? (companion as unknown[]) : [];
    const length = Math.max(values.length, extensions.length);
    for (let i = 0; i < length; i++) if (!add(values[i], extensions[i])) return false;
    return true;
  }
  return add(value, Array.isArray(companion) ? undefined : companion);
}

// ---- logic ------------------------------------------------------------------------------------------

/** A collection read as a Boolean operand: true, false, empty (undefined), or no answer (null). */
function truth(collection: Collection): boolean | undefined | null {
  if (collection.length === 0) return undefined;
  const [item] = collection;
  return collection.length === 1 && typeof item?.v === 'boolean' ? item.v : null;
}

function compileLogic(
  operator: string,
  leftNode: AstNode | undefined,
  rightNode: AstNode | undefined,
  rootType: string,
): Evaluation | undefined {
  const left = leftNode && compileExpression(leftNode, rootType);
  const right = rightNode && compileExpression(rightNode, rootType);
  if (!left || !right) return undefined;
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

// ---- comparison -------------------------------------------------------------------------------------

type Kind = 'string' | 'number' | 'boolean' | 'date';

/** What a value is compared as, or undefined when the subset does not compare it. */
function kindOf(item: Item): Kind | undefined {
  if (item.v === undefined) return undefined;
  if (typeof item.v === 'boolean') return 'boolean';
  if (typeof item.v === 'number') return NUMBER_TYPES.has(item.t) ? 'number' : undefined;
  if (typeof item.v !== 'string') return undefined;
  if (STRING_TYPES.has(item.t)) return 'string';
  // A date without a time: its text orders as the date does, at one precision (checked below).
  if (DATE_TYPES.has(item.t) && item.v.length <= 10 && !item.v.includes('T')) return 'date';
  return undefined;
}

/** fhirpath.js compares decimals at a precision of 1e-8 (numbers.js's roundToMaxPrecision). */
const atPrecision = (x: number) => Math.round(x / 1e-8) * 1e-8;

/**
 * -1, 0 or 1 as fhirpath.js orders two values; undefined when only fhirpath.js can say (types it
 * converts or refuses, dates of another precision or of another type).
 */
function order(a: Item, b: Item, equality: boolean): number | undefined {
  const kind = kindOf(a);
  if (kind === undefined || kind !== kindOf(b)) return undefined;
  // Equality of two values from the resource also compares their extensions; those go to fhirpath.js.
  if (equality && (a.companion !== undefined || b.companion !== undefined)) return undefined;
  let x = a.v as string | number | boolean;
  let y = b.v as string | number | boolean;
  if (kind === 'date' && (a.t !== b.t || (x as string).length !== (y as string).length)) return undefined;
  // Plain numbers are ordered as they are; a decimal object on either side, or any equality, rounds.
  if (kind === 'number' && (equality || a.t === DECIMAL || b.t === DECIMAL)) {
    x = atPrecision(x as number);
    y = atPrecision(y as number);
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

const ORDERINGS: Record<string, (order: number) => boolean> = {
  '=': (o) => o === 0,
  '!=': (o) => o !== 0,
  '<': (o) => o < 0,
  '<=': (o) => o <= 0,
  '>': (o) => o > 0,
  '>=': (o) => o >= 0,
};

function compileComparison(
  operator: string,
  leftNode: AstNode | undefined,
  rightNode: AstNode | undefined,
  rootType: string,
): Evaluation | undefined {
  const test = Object.hasOwn(ORDERINGS, operator) ? ORDERINGS[operator] : undefined;
  const left = leftNode && compileExpression(leftNode, rootType);
  const right = rightNode && compileExpression(rightNode, rootType);
  if (!test || !left || !right) return undefined;
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

/** Whether a collection holds a value equal to the item; undefined when only fhirpath.js can say. */
function holds(collection: Collection, item: Item): boolean | undefined {
  let found = false;
  for (const member of collection) {
    const o = order(item, member, true);
    if (o === undefined) return undefined;
    if (o === 0) found = true;
  }
  return found;
}

/** `x in list`, `list contains x`, on one primitive value. */
function compileMembership(
  operator: string,
  leftNode: AstNode | undefined,
  rightNode: AstNode | undefined,
  rootType: string,
): Evaluation | undefined {
  if (operator !== 'in' && operator !== 'contains') return undefined;
  const left = leftNode && compileExpression(leftNode, rootType);
  const right = rightNode && compileExpression(rightNode, rootType);
  if (!left || !right) return undefined;
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
function compileUnion(
  leftNode: AstNode | undefined,
  rightNode: AstNode | undefined,
  rootType: string,
): Evaluation | undefined {
  const left = leftNode && compileExpression(leftNode, rootType);
  const right = rightNode && compileExpression(rightNode, rootType);
  if (!left || !right) return undefined;
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
function compileArithmetic(
  operator: string,
  leftNode: AstNode | undefined,
  rightNode: AstNode | undefined,
  rootType: string,
): Evaluation | undefined {
  if (operator !== '+' && operator !== '-' && operator !== '*' && operator !== '&') return undefined;
  const left = leftNode && compileExpression(leftNode, rootType);
  const right = rightNode && compileExpression(rightNode, rootType);
  if (!left || !right) return undefined;
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

// ---- functions --------------------------------------------------------------------------------------

type Plain = (input: Collection) => Collection | undefined;

/** A function of the input alone (a Map: a name like `constructor` must not find Object's). */
const PLAIN = new Map<string, Plain>(
  Object.entries({
    exists: (input: Collection) => bool(input.length > 0),
    empty: (input: Collection) => bool(input.length === 0),
    count: (input: Collection) => [{ v: input.length, t: INTEGER }],
    first: (input: Collection) => input.slice(0, 1),
    tail: (input: Collection) => input.slice(1),
    not: (input: Collection) => {
      const value = truth(input);
      return value === null ? undefined : value === undefined ? EMPTY : bool(!value);
    },
    hasValue: (input: Collection) => {
      const [item] = input;
      // Resource.id and Element.id are System.String in the model; fhirpath.js counts them as primitives.
      return bool(
        input.length === 1 &&
          item?.v !== undefined &&
          (isPrimitiveType(item.t) || item.t.startsWith('System.')),
      );
    },
    isDistinct: (input: Collection) => {
      const seen = new Set<string>();
      for (const item of input) {
        if (typeof item.v !== 'string' && typeof item.v !== 'number' && typeof item.v !== 'boolean')
          return undefined;
        seen.add(`${typeof item.v}:${String(item.v)}`);
      }
      return bool(seen.size === input.length);
    },
    toString: (input: Collection) =>
      singleText(
        input,
        (text) => [{ v: text, t: STRING }],
        (item) => DATE_TYPES.has(item.t) || kindOf(item) === 'string',
      ),
    length: (input: Collection) => singleText(input, (text) => [{ v: text.length, t: INTEGER }]),
    abs: (input: Collection) => {
      if (input.length === 0) return EMPTY;
      const [item] = input;
      return input.length === 1 && item && kindOf(item) === 'number'
        ? [{ v: Math.abs(item.v as number), t: item.t === DECIMAL ? DECIMAL : INTEGER }]
        : undefined;
    },
  } satisfies Record<string, Plain>),
);

/**
 * A function of one string: empty in, empty out; more than one item, or a value that is not text (an
 * error or a conversion in fhirpath.js), no answer.
 */
function singleText(
  input: Collection,
  apply: (text: string) => Collection,
  isText: (item: Item) => boolean = (item) => kindOf(item) === 'string',
): Collection | undefined {
  if (input.length === 0) return EMPTY;
  const [item] = input;
  if (input.length > 1 || !item || item.v === undefined || !isText(item)) return undefined;
  return apply(item.v as string);
}

/** A literal argument (one value), compiled once. */
function literalArgument(node: AstNode | undefined): Item | undefined {
  const term = node?.type === 'TermExpression' ? childrenOf(node)[0] : undefined;
  const literal = term?.type === 'LiteralTerm' ? childrenOf(term)[0] : undefined;
  const evaluation = literal && compileLiteral(literal);
  const value = evaluation?.([], { self: undefined, total: undefined });
  return value?.length === 1 ? value[0] : undefined;
}

/** Functions of literal arguments. */
function compileWithLiterals(name: string, params: AstNode[]): Evaluation | undefined {
  const args = params.map(literalArgument);
  if (args.includes(undefined)) return undefined;
  const [first, second] = args.map((arg) => arg?.v);
  switch (name) {
    case 'substring': {
      if (typeof first !== 'number' || (second !== undefined && typeof second !== 'number')) return undefined;
      return (input) =>
        singleText(input, (text) => {
          if (first < 0 || first >= text.length) return EMPTY;
          const part = second === undefined ? text.substring(first) : text.substring(first, first + second);
          return [{ v: part, t: STRING }];
        });
    }
    case 'startsWith':
    case 'endsWith':
    case 'contains':
      if (typeof first !== 'string' || params.length !== 1) return undefined;
      return (input) =>
        singleText(input, (text) =>
          bool(
            name === 'startsWith'
              ? text.startsWith(first)
              : name === 'endsWith'
                ? text.endsWith(first)
                : text.includes(first),
          ),
        );
    case 'matches': {
      if (typeof first !== 'string' || params.length !== 1) return undefined;
      // fhirpath.js's flags for matches() without its own: unicode, and `.` matching line ends.
      let pattern: RegExp;
      try {
        pattern = new RegExp(first, 'us');
      } catch {
        return undefined;
      }
      return (input) => singleText(input, (text) => bool(pattern.test(text)));
    }
    default:
      return undefined;
  }
}

function compileFunction(name: string, params: AstNode[], rootType: string): Evaluation | undefined {
  const plain = PLAIN.get(name);
  if (plain) return params.length === 0 ? (focus) => plain(focus) : compileCriteria(name, params, rootType);
  if (name === 'where' || name === 'select' || name === 'all' || name === 'aggregate')
    return compileCriteria(name, params, rootType);
  return compileWithLiterals(name, params);
}

/** Functions whose argument is evaluated on each item, as `$this`. */
function compileCriteria(name: string, params: AstNode[], rootType: string): Evaluation | undefined {
  const [criteriaNode, initNode] = params;
  const criteria = criteriaNode && compileExpression(criteriaNode, rootType);
  if (!criteria) return undefined;
  const each = (item: Item, total: Collection | undefined) => criteria([item], { self: item, total });
  switch (name) {
    case 'exists':
    case 'where': {
      if (params.length !== 1) return undefined;
      return (focus) => {
        const kept: Collection = [];
        for (const item of focus) {
          const verdict = each(item, undefined);
          if (!verdict) return undefined;
          // fhirpath.js keeps an item when the criteria's first value is truthy; booleans are taken.
          const first = verdict[0];
          if (first !== undefined && typeof first.v !== 'boolean') return undefined;
          if (first?.v === true) kept.push(item);
        }
        return name === 'exists' ? bool(kept.length > 0) : kept;
      };
    }
    case 'all':
      if (params.length !== 1) return undefined;
      return (focus) => {
        let holds = true;
        for (const item of focus) {
          const verdict = each(item, undefined);
          if (!verdict) return undefined;
          if (!(verdict.length === 1 && verdict[0]?.v === true)) holds = false;
        }
        return bool(holds);
      };
    case 'select':
      if (params.length !== 1) return undefined;
      return (focus) => {
        const out: Collection = [];
        for (const item of focus) {
          const projected = each(item, undefined);
          if (!projected) return undefined;
          out.push(...projected);
        }
        return out;
      };
    case 'aggregate': {
      if (params.length > 2) return undefined;
      const init = initNode === undefined ? undefined : literalArgument(initNode);
      if (initNode !== undefined && init === undefined) return undefined;
      const start: Collection = init === undefined ? EMPTY : [init];
      return (focus) => {
        let total: Collection | undefined = start;
        for (const item of focus) {
          total = each(item, total);
          if (!total) return undefined;
        }
        return total;
      };
    }
    default:
      return undefined;
  }
}
