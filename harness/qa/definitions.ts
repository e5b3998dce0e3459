/**
 * qa's checks of the definitions themselves, reported where the author wrote them:
 * - every invariant's expression is parsed and the elements it names are looked up on the type of the
 *   element it is declared on (and the profile: a prohibited element, an unknown extension url), the
 *   finding placed at the line and column inside the Invariant's `Expression:`;
 * - a rule SUSHI could not apply because of its path gets the column of the segment that does not
 *   resolve and a "did you mean" from the element names of the type at that point.
 */
import type { IgInventory } from '../ig/inventory.js';
import { choiceTypeScope, elementChild, elementNames } from '../fhir/element-paths.js';
import type { DefinitionRegistry } from '../fhir/definitions.js';
import { checkExpression, type ExpressionProblem, type ProfileView } from './fhirpath-check.js';
import type { FshInvariant, FshPlace, FshSources } from './fsh-sources.js';
import { qaIssue, type QaIssue } from './issues.js';
import { parseRulePath } from './rule-paths.js';
import { closest } from './suggest.js';

type Element = fhir4.ElementDefinition;

/** Every IG invariant's expression checked on each element that obeys it. */
export function checkInvariants(
  inventory: IgInventory,
  sources: FshSources,
  definitions: DefinitionRegistry,
): QaIssue[] {
  const issues: QaIssue[] = [];
  const said = new Set<string>();
  const say = (invariant: FshInvariant, problem: ExpressionProblem, where: string) => {
    const line = invariant.line + problem.line - 1;
    const column = problem.line === 1 ? (invariant.column ?? 1) + problem.column - 1 : problem.column;
    const key = `${invariant.name}\u0000${line}:${column}\u0000${problem.message}`;
    if (said.has(key)) return;
    said.add(key);
    const id = PROBLEM_IDS[problem.kind];
    const text =
      problem.kind === 'syntax'
        ? `The expression of invariant ${invariant.name} does not parse: ${problem.message}`
        : `Invariant ${invariant.name} (on ${where}): ${problem.message}`;
    issues.push(
      qaIssue(id, text, {
        expression: invariant.name,
        file: invariant.file,
        line,
        column,
        origin: 'definition',
        mapping: 'invariant',
      }),
    );
  };
  const used = new Set<string>();
  for (const definition of [...inventory.profiles, ...inventory.extensions]) {
    const view = profileView(definition, definitions);
    for (const element of definition.differential?.element ?? []) {
      for (const constraint of element.constraint ?? []) {
        const invariant = sources.invariants.get(constraint.key);
        if (!invariant) continue;
        used.add(invariant.name);
        const context = contextOf(element);
        const where = `${definition.id ?? definition.name ?? ''} ${element.id ?? element.path}`;
        for (const problem of checkExpression(invariant.expression, context, view))
          say(invariant, problem, where);
      }
    }
  }
  // An invariant no element obeys is still parsed: a syntax error is an error wherever it sits.
  for (const invariant of sources.invariants.values()) {
    if (used.has(invariant.name)) continue;
    for (const problem of checkExpression(invariant.expression, { path: '' }))
      if (problem.kind === 'syntax') say(invariant, problem, '');
  }
  return issues;
}

const PROBLEM_IDS = {
  syntax: 'QA_INVARIANT_SYNTAX',
  'unknown-element': 'QA_INVARIANT_UNKNOWN_ELEMENT',
  'prohibited-element': 'QA_INVARIANT_PROHIBITED_ELEMENT',
  'unknown-extension': 'QA_INVARIANT_UNKNOWN_EXTENSION',
} as const;

/** The element path an invariant is evaluated on, and its type when the profile narrows it to one. */
function contextOf(element: Element): { path: string; type?: string } {
  const path = element.path ?? '';
  const codes = (element.type ?? []).map((type) => type.code);
  const only = codes.length === 1 ? codes[0] : undefined;
  // A choice narrowed to one type, or a profile's own type on an element: its type decides its children.
  if (
    only &&
    /^[A-Za-z]+$/.test(only) &&
    only !== 'BackboneElement' &&
    only !== 'Element' &&
    path.includes('.')
  )
    return { path, type: only };
  return { path };
}

/** What the profile prohibits, from its snapshot; which extension urls exist, from the definitions. */
function profileView(definition: fhir4.StructureDefinition, definitions: DefinitionRegistry): ProfileView {
  const prohibited = new Set(
    (definition.snapshot?.element ?? [])
      .filter((element) => element.max === '0' && !element.id?.includes(':'))
      .map((element) => (element.path ?? '').replace(/\[x\]$/, '')),
  );
  return {
    prohibits: (path) => prohibited.has(path),
    knowsExtension: (url) => definitions.structureDefinition(url)?.type === 'Extension',
  };
}

/** The SUSHI errors about a rule's path, given the column of the segment at fault and a suggestion. */
export function explainRulePaths(
  sushiIssues: QaIssue[],
  inventory: IgInventory,
  sources: FshSources,
): QaIssue[] {
  const rules = rulesByPlace(inventory, sources);
  return sushiIssues.map((issue) => {
    if (issue.severity !== 'error' || issue.file === '') return issue;
    const rule = rules.get(`${issue.file}:${issue.line}`);
    if (!rule) return issue;
    const fault = unresolvedSegment(rule.type, rule.path);
    if (!fault) return rule.column ? { ...issue, column: rule.column } : issue;
    const text = sources.line(issue.file, issue.line);
    const found = text.indexOf(fault.segment, (rule.column ?? 1) - 1);
    const suggestion = closest(fault.segment.replace(/\[x\]$/, ''), fault.names);
    return {
      ...issue,
      text: `${issue.text} ('${fault.segment}' is not an element of ${fault.scope}${suggestion ? `; did you mean '${suggestion}'?` : ''})`,
      ...(found >= 0 ? { column: found + 1 } : rule.column ? { column: rule.column } : {}),
      rulePath: rule.path,
    };
  });
}

interface PlacedRule extends FshPlace {
  path: string;
  /** The type the rule's path starts from. */
  type: string;
}

/** Every profile, extension and instance rule with a path, by `file:line`, with the type it starts from. */
function rulesByPlace(inventory: IgInventory, sources: FshSources): Map<string, PlacedRule> {
  const typeOf = new Map<string, string>();
  for (const definition of [...inventory.profiles, ...inventory.extensions]) {
    if (definition.name) typeOf.set(definition.name, definition.type);
    if (definition.id) typeOf.set(definition.id, definition.type);
    typeOf.set(definition.url, definition.type);
  }
  const byPlace = new Map<string, PlacedRule>();
  const add = (type: string | undefined, rules: readonly (FshPlace & { path: string })[]) => {
    if (!type) return;
    for (const rule of rules) byPlace.set(`${rule.file}:${rule.line}`, { ...rule, type });
  };
  for (const declaration of sources.declarations.values()) {
    if (declaration.kind === 'Profile')
      add(typeOf.get(declaration.id) ?? typeOf.get(declaration.name), declaration.rules);
    if (declaration.kind === 'Extension') add('Extension', declaration.rules);
  }
  for (const instance of sources.instances.values()) {
    const type =
      typeOf.get(instance.instanceOf) ??
      (/^[A-Z][A-Za-z]+$/.test(instance.instanceOf) ? instance.instanceOf : undefined);
    add(type, instance.rules);
  }
  return byPlace;
}

/** The first segment of a rule path the type does not have, with the names it does have there. */
function unresolvedSegment(
  type: string,
  path: string,
): { segment: string; scope: string; names: string[] } | undefined {
  let scope: string | undefined = type;
  for (const part of parseRulePath(path)) {
    if (scope === undefined || /^[a-z]/.test(scope) || scope === 'Resource' || scope === 'DomainResource')
      return undefined;
    const name = part.key.replace(/\[x\]$/, '');
    const child = elementChild(scope, name);
    if (child) {
      scope = child.scope;
      continue;
    }
    const choice = choiceOf(scope, name);
    if (choice !== null) {
      scope = choice;
      continue;
    }
    return { segment: part.key, scope, names: elementNames(scope) };
  }
  return undefined;
}

/** `valueReference` where the scope has the choice `value[x]` allowing Reference: that type's scope. */
function choiceOf(scope: string, key: string): string | null {
  for (const stem of elementNames(scope)) {
    if (!key.startsWith(stem) || key === stem) continue;
    const type = elementChild(scope, stem)?.choiceTypes?.find((candidate) => `${stem}${candidate}` === key);
    if (type) return choiceTypeScope(type);
  }
  return null;
}
