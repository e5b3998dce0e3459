/**
 * A static check of a FHIRPath expression against the type it is evaluated on, for invariants an IG
 * author writes: does it parse, and does every element it names exist where it is named? Types follow
 * fhirpath.js's R4 model (the one the validator evaluates with). The check only speaks when it is sure:
 * after anything whose type it cannot tell (`resolve()`, `children()`, an abstract Resource, a function
 * it does not know) the names that follow are not judged.
 */
import fhirpath from 'fhirpath';
import { choiceTypeScope, elementChild, elementNames, elementScope } from '../fhir/element-paths.js';
import { closest } from './suggest.js';

/** A problem found in an expression, at a 1-based line and column inside the expression's text. */
export interface ExpressionProblem {
  kind: 'syntax' | 'unknown-element' | 'prohibited-element' | 'unknown-extension';
  message: string;
  line: number;
  column: number;
}

/** What the profile an invariant sits in says beyond the base type. */
export interface ProfileView {
  /** Whether the profile prohibits (max 0) the element at this path (`Patient.photo`). */
  prohibits(path: string): boolean;
  /** Whether an extension url is defined (by the IG or the core package). */
  knowsExtension(url: string): boolean;
}

interface AstNode {
  type: string;
  text?: string;
  start?: { line: number; column: number };
  children?: AstNode[];
}

/** What the check knows of a collection's items: their possible types and, while it is a plain walk, the element path. */
interface Focus {
  /** Model scopes (type names or backbone paths); empty = unknown (nothing after it is judged). */
  scopes: string[];
  /** The element path from the context (`Patient.identifier.value`), while the walk is plain. */
  path?: string;
}

const UNKNOWN: Focus = { scopes: [] };

/** Functions whose result has the type of their input. */
const SAME_TYPE = new Set([
  'where',
  'first',
  'last',
  'tail',
  'skip',
  'take',
  'single',
  'distinct',
  'trace',
  'intersect',
  'exclude',
  'union',
  'combine',
]);
/** Functions whose arguments are evaluated on each input item ($this is the item). */
const ON_EACH_ITEM = new Set(['where', 'select', 'all', 'exists', 'repeat', 'any', 'sortBy']);
/** Abstract types: any resource may be there, so an unknown name is not a mistake. */
const OPEN_SCOPES = new Set(['Resource', 'DomainResource']);

/**
 * Checks `expression` evaluated on the element at `context.path` (`Patient`, `Patient.identifier.value`),
 * of `context.type` when a profile narrows it to one type.
 */
export function checkExpression(
  expression: string,
  context: { path: string; type?: string },
  profile?: ProfileView,
): ExpressionProblem[] {
  let tree: AstNode;
  try {
    tree = fhirpath.parse(expression) as AstNode;
  } catch (error) {
    return [syntaxProblem(error)];
  }
  const scope = context.type
    ? choiceTypeScope(context.type)
    : elementScope(context.path.replace(/\[x\]/g, ''));
  const start: Focus =
    scope === undefined || context.path === '' ? UNKNOWN : { scopes: [scope], path: context.path };
  const problems: ExpressionProblem[] = [];
  new Walk(start, problems, profile).node(tree, start);
  return problems;
}

/** fhirpath.js reports `line: 1; column: 19; message: ...` (column 0-based). */
function syntaxProblem(error: unknown): ExpressionProblem {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n')[0] ?? text;
  const place = /line: (\d+); column: (\d+); message: (.*)$/.exec(first);
  if (!place) return { kind: 'syntax', message: first, line: 1, column: 1 };
  return {
    kind: 'syntax',
    message: (place[3] ?? first).replace(/ expecting \{.*\}$/, '').replace(/ expecting .*$/, ''),
    line: Number(place[1]),
    column: Number(place[2]) + 1,
  };
}

const isPrimitiveScope = (scope: string) => /^[a-z]/.test(scope);

class Walk {
  /** Each prohibited path is said once, where the expression first names it. */
  private readonly prohibitedSeen = new Set<string>();

  constructor(
    private readonly context: Focus,
    private readonly problems: ExpressionProblem[],
    private readonly profile: ProfileView | undefined,
  ) {}

  /** The focus after `node`, evaluated with `focus` as its input ($this). */
  node(node: AstNode, focus: Focus): Focus {
    const [left, right] = node.children ?? [];
    switch (node.type) {
      case 'EntireExpression':
      case 'TermExpression':
      case 'InvocationTerm':
      case 'ParenthesizedTerm':
        return left ? this.node(left, focus) : UNKNOWN;
      case 'InvocationExpression':
        if (!left || !right) return UNKNOWN;
        return this.invocation(right, this.node(left, focus), focus);
      case 'MemberInvocation':
        return this.member(node, focus, true);
      case 'FunctionInvocation':
        return this.call(node, focus, focus);
      case 'ThisInvocation':
        return focus;
      case 'IndexerExpression':
        if (right) this.node(right, focus);
        return left ? this.node(left, focus) : UNKNOWN;
      case 'UnionExpression': {
        const a = left ? this.node(left, focus) : UNKNOWN;
        const b = right ? this.node(right, focus) : UNKNOWN;
        return a.scopes.length > 0 && b.scopes.length > 0 ? { scopes: [...a.scopes, ...b.scopes] } : UNKNOWN;
      }
      case 'TypeExpression': {
        if (left) this.node(left, focus);
        const type = right?.text ?? '';
        return node.text === 'as' && /^[A-Za-z]+$/.test(type) ? { scopes: [type] } : UNKNOWN;
      }
      default:
        // Operators, literals, external constants: judge the operands, the result is not a typed element.
        for (const child of node.children ?? []) this.node(child, focus);
        return UNKNOWN;
    }
  }

  /** `input.<right>`: a member or a function called on what `input` holds. */
  private invocation(right: AstNode, input: Focus, outer: Focus): Focus {
    if (right.type === 'MemberInvocation') return this.member(right, input, false);
    if (right.type === 'FunctionInvocation') return this.call(right, input, outer);
    if (right.type === 'ThisInvocation') return input;
    return UNKNOWN;
  }

  /** A name: an element of the focus, or (at the start of a path) the context's type name. */
  private member(node: AstNode, focus: Focus, atStart: boolean): Focus {
    const name = (node.children?.[0]?.text ?? node.text ?? '').replace(/^`|`$/g, '');
    if (atStart && /^[A-Z]/.test(name) && this.context.scopes.includes(name)) return this.context;
    if (focus.scopes.length === 0) return UNKNOWN;
    const found: string[] = [];
    let choice = false;
    for (const scope of focus.scopes) {
      const child = elementChild(scope, name);
      if (!child) continue;
      if (child.scope) found.push(child.scope);
      else if (child.choiceTypes) {
        choice = true;
        found.push(...child.choiceTypes.map(choiceTypeScope));
      }
    }
    if (found.length === 0 && !choice) {
      if (focus.scopes.some((scope) => OPEN_SCOPES.has(scope) || isPrimitiveScope(scope))) return UNKNOWN;
      const names = focus.scopes.flatMap(elementNames);
      const suggestion = closest(name, names);
      this.report(
        'unknown-element',
        `'${name}' is not an element of ${focus.scopes.join(' or ')}${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
        node,
      );
      return UNKNOWN;
    }
    const path = focus.path === undefined ? undefined : `${focus.path}.${name}`;
    if (path !== undefined && !this.prohibitedSeen.has(path) && this.profile?.prohibits(path)) {
      this.prohibitedSeen.add(path);
      this.report(
        'prohibited-element',
        `${path} is prohibited (max 0) in this profile: the expression can never find it`,
        node,
      );
    }
    return choice ? { scopes: found } : { scopes: found, ...(path !== undefined ? { path } : {}) };
  }

  /** A function called on `input`; `outer` is the focus its non-lambda arguments see. */
  private call(node: AstNode, input: Focus, outer: Focus): Focus {
    const functn = node.children?.[0];
    const name = functn?.children?.[0]?.text ?? '';
    const params = functn?.children?.[1]?.children ?? [];
    const lambda = ON_EACH_ITEM.has(name);
    // ofType(Patient), as(Quantity), is(string): the argument names a type, it is not evaluated.
    const typeArgument = name === 'ofType' || name === 'as' || name === 'is';
    const results = typeArgument ? [] : params.map((param) => this.node(param, lambda ? input : outer));
    if (name === 'extension') {
      const url = literalString(params[0]);
      if (url !== undefined && this.profile && !this.profile.knowsExtension(url))
        this.report(
          'unknown-extension',
          `no extension with the url '${url}' is defined by this IG or R4`,
          node,
        );
      return { scopes: ['Extension'] };
    }
    if (SAME_TYPE.has(name)) return input.scopes.length > 0 ? { scopes: input.scopes } : UNKNOWN;
    if (name === 'select') return results[0] ?? UNKNOWN;
    if ((name === 'ofType' || name === 'as') && params[0]) {
      const type = typeName(params[0]);
      return type ? { scopes: [type] } : UNKNOWN;
    }
    return UNKNOWN;
  }

  private report(kind: ExpressionProblem['kind'], message: string, node: AstNode): void {
    const start = node.start ?? node.children?.[0]?.start;
    this.problems.push({ kind, message, line: start?.line ?? 1, column: start?.column ?? 1 });
  }
}

function literalString(node: AstNode | undefined): string | undefined {
  let current = node;
  while (current && current.type !== 'StringLiteral') current = current.children?.[0];
  const text = current?.text;
  return text && text.length >= 2 ? text.slice(1, -1).replace(/\\'/g, "'") : undefined;
}

function typeName(node: AstNode): string | undefined {
  const text = (node.text ?? collectText(node)).replace(/^FHIR\./, '');
  return /^[A-Za-z]+$/.test(text) ? text : undefined;
}

function collectText(node: AstNode): string {
  if (node.children?.length) return node.children.map(collectText).join('');
  return node.text ?? '';
}
