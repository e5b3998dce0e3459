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
import { elementChild, elementScope } from '../fhir/element-paths.js';
import {
  compileArithmetic,
  compileComparison,
  compileLogic,
  compileMembership,
  compileUnion,
} from './native-operators.js';
import {
  DATE_TYPES,
  DECIMAL,
  EMPTY,
  INTEGER,
  STRING,
  bool,
  kindOf,
  navigate,
  truth,
  type Collection,
  type Evaluation,
  type Item,
  type Scope,
} from './native-values.js';
import { compileTypeTest, isModelType, ofTypeFilter, specifiedType } from './native-types.js';
import { isPrimitiveType } from './primitive-types.js';

/** A node of fhirpath.js's parse tree. */
interface AstNode {
  type: string;
  text?: string;
  children?: AstNode[];
}
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
  if (rootType === undefined) return undefined;
  const items = compileNativeItems(rootType, expression);
  return (
    items &&
    ((node) => {
      const result = items(node);
      return result && valuesOf(result);
    })
  );
}

/**
 * The same subset for any expression on an element of `rootType` (a type name or a backbone path):
 * the typed items it selects (the search index extracts its values so), or undefined when only
 * fhirpath.js can answer for this node. undefined (no function): outside the subset.
 */
export function compileNativeItems(
  rootType: string,
  expression: string,
): ((node: unknown) => Collection | undefined) | undefined {
  if (isPrimitiveType(rootType)) return undefined;
  let tree: AstNode;
  try {
    tree = fhirpath.parse(expression) as AstNode;
  } catch {
    return undefined;
  }
  const evaluation = compileExpression(unwrap(tree), rootType);
  if (!evaluation) return undefined;
  // Only resources have implicitRules: on a resource itself, %resource is the node.
  const onResource = elementChild(rootType, 'implicitRules') !== undefined;
  return (node) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    const root: Item = { v: node, t: rootType };
    return evaluation([root], { self: root, total: undefined, ...(onResource ? { resource: root } : {}) });
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
    case 'TypeExpression': {
      const source = left && compileExpression(left, rootType);
      const type = right?.type === 'TypeSpecifier' ? specifiedType(right) : undefined;
      const operator = node.text;
      if (!source || !type || (operator !== 'is' && operator !== 'as')) return undefined;
      return compileTypeTest(operator, source, type);
    }
    default:
      return compileOperator(node, left, right, rootType);
  }
}

/** An operator's node, its operands compiled first (both: neither is skipped, as in fhirpath.js). */
function compileOperator(
  node: AstNode,
  leftNode: AstNode | undefined,
  rightNode: AstNode | undefined,
  rootType: string,
): Evaluation | undefined {
  const left = leftNode && compileExpression(leftNode, rootType);
  const right = rightNode && compileExpression(rightNode, rootType);
  if (!left || !right) return undefined;
  const operator = node.text ?? '';
  switch (node.type) {
    case 'OrExpression':
      return compileLogic(operator, left, right);
    case 'AndExpression':
    case 'ImpliesExpression':
      return compileLogic(node.type, left, right);
    case 'EqualityExpression':
    case 'InequalityExpression':
      return compileComparison(operator, left, right);
    case 'AdditiveExpression':
    case 'MultiplicativeExpression':
      return compileArithmetic(operator, left, right);
    case 'MembershipExpression':
      return compileMembership(operator, left, right);
    case 'UnionExpression':
      return compileUnion(left, right);
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
      // %ucum is a constant; %resource is known when the expression runs on a resource itself (the
      // Bundle's bdl-3); elsewhere it and the others depend on where the node sits: fhirpath.js.
      const ucum: Collection = [{ v: 'http://unitsofmeasure.org', t: STRING }];
      if (term.text === 'ucum') return () => ucum;
      if (term.text === 'resource') return (_focus, scope) => (scope.resource ? [scope.resource] : undefined);
      return undefined;
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
  if (name === 'ofType' || name === 'is' || name === 'as') {
    // The argument is a type name, written as a path of one element.
    const [argument] = params;
    const type =
      params.length === 1 && argument?.text && /^[A-Za-z]+$/.test(argument.text) ? argument.text : undefined;
    if (!type || !isModelType(type)) return undefined;
    if (name === 'ofType') {
      const filter = ofTypeFilter(type);
      return (focus) => filter(focus);
    }
    return compileTypeTest(name, (focus) => focus, type);
  }
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
  const each = (item: Item, total: Collection | undefined, outer: Scope) =>
    criteria(
      [item],
      outer.resource ? { self: item, total, resource: outer.resource } : { self: item, total },
    );
  switch (name) {
    case 'exists':
    case 'where': {
      if (params.length !== 1) return undefined;
      return (focus, scope) => {
        const kept: Collection = [];
        for (const item of focus) {
          const verdict = each(item, undefined, scope);
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
      return (focus, scope) => {
        let holds = true;
        for (const item of focus) {
          const verdict = each(item, undefined, scope);
          if (!verdict) return undefined;
          if (!(verdict.length === 1 && verdict[0]?.v === true)) holds = false;
        }
        return bool(holds);
      };
    case 'select':
      if (params.length !== 1) return undefined;
      return (focus, scope) => {
        const out: Collection = [];
        for (const item of focus) {
          const projected = each(item, undefined, scope);
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
      return (focus, scope) => {
        let total: Collection | undefined = start;
        for (const item of focus) {
          total = each(item, total, scope);
          if (!total) return undefined;
        }
        return total;
      };
    }
    default:
      return undefined;
  }
}
