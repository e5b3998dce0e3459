/**
 * Coverage: what the IG defines that its examples never show. Every profile has an example; every
 * must-support element appears in some example of its profile; every extension is used by an example;
 * every CodeSystem is used by an example or by a ValueSet a profile binds; every reference in the examples
 * resolves to another resource of the IG.
 */
import type { IgInventory } from '../ig/inventory.js';
import { instanceOf, type FshDeclaration, type FshPlace, type FshSources } from './fsh-sources.js';
import { qaIssue, type QaIssue } from './issues.js';
import { matchRule, placeRules } from './rule-paths.js';
import { isJsonObject } from '../json.js';

export interface CoverageSummary {
  profiles: { total: number; withExample: number; withoutExample: string[] };
  mustSupport: { total: number; exemplified: number; notExemplified: string[] };
  extensions: { total: number; used: number; unused: string[] };
  codeSystems: { total: number; used: number; unused: string[] };
  references: { total: number; resolved: number; unresolved: string[] };
}

type Json = unknown;
type JsonRecord = Record<string, Json>;
type Example = IgInventory['examples'][number];

function withoutVersion(canonical: string): string {
  return canonical.split('|')[0] ?? canonical;
}

/** Visits every object of a JSON tree with its path. */
function visit(
  value: Json,
  path: (string | number)[],
  fn: (node: JsonRecord, path: (string | number)[]) => void,
): void {
  if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i], fn));
  else if (isJsonObject(value)) {
    fn(value, path);
    for (const [key, child] of Object.entries(value)) visit(child, [...path, key], fn);
  }
}

/** The strings `pick` finds in any object of any example. */
function usedByExamples(inventory: IgInventory, pick: (node: JsonRecord) => Iterable<string>): Set<string> {
  const used = new Set<string>();
  for (const example of inventory.examples)
    visit(example.resource, [], (node) => {
      for (const value of pick(node)) used.add(value);
    });
  return used;
}

function expressionOf(type: string, path: (string | number)[]): string {
  return path.reduce<string>(
    (text, step) => (typeof step === 'number' ? `${text}[${step}]` : `${text}.${step}`),
    type,
  );
}

function declarationPlace(sources: FshSources, key: string): FshPlace & { mapping: 'declaration' } {
  const declaration = sources.declarations.get(key);
  return {
    file: declaration?.file ?? '',
    line: declaration?.line ?? 0,
    ...(declaration?.column ? { column: declaration.column } : {}),
    mapping: 'declaration',
  };
}

function examplesOf(inventory: IgInventory, profileUrl: string): Example[] {
  return inventory.examples.filter(
    (example) =>
      example.profile === profileUrl ||
      (example.resource.meta?.profile ?? []).some((p) => withoutVersion(p) === profileUrl),
  );
}

export function checkCoverage(
  inventory: IgInventory,
  sources: FshSources,
): { issues: QaIssue[]; summary: CoverageSummary } {
  const issues: QaIssue[] = [];
  const summary: CoverageSummary = {
    profiles: { total: 0, withExample: 0, withoutExample: [] },
    mustSupport: { total: 0, exemplified: 0, notExemplified: [] },
    extensions: { total: 0, used: 0, unused: [] },
    codeSystems: { total: 0, used: 0, unused: [] },
    references: { total: 0, resolved: 0, unresolved: [] },
  };
  checkProfiles(inventory, sources, summary, issues);
  checkExtensions(inventory, sources, summary, issues);
  checkCodeSystems(inventory, sources, summary, issues);
  checkReferences(inventory, sources, summary, issues);
  return { issues, summary };
}

function checkProfiles(
  inventory: IgInventory,
  sources: FshSources,
  summary: CoverageSummary,
  issues: QaIssue[],
): void {
  for (const profile of inventory.profiles) {
    if (profile.kind === 'logical' || profile.derivation !== 'constraint') continue;
    summary.profiles.total++;
    const examples = examplesOf(inventory, profile.url);
    if (examples.length === 0) {
      summary.profiles.withoutExample.push(profile.url);
      issues.push(
        qaIssue('QA_PROFILE_NO_EXAMPLE', `The profile ${profile.id} has no example`, {
          expression: profile.url,
          ...declarationPlace(sources, `Profile/${profile.id}`),
        }),
      );
      continue;
    }
    summary.profiles.withExample++;
    const snapshot = new Map((profile.snapshot?.element ?? []).map((element) => [element.id, element]));
    for (const element of profile.differential?.element ?? []) {
      if (!element.mustSupport || !element.id || !element.id.includes('.')) continue;
      summary.mustSupport.total++;
      const steps = elementSteps(element.id, (id) => snapshot.get(id)?.type?.[0]?.profile?.[0]);
      if (examples.some((example) => present(example.resource, steps))) {
        summary.mustSupport.exemplified++;
        continue;
      }
      summary.mustSupport.notExemplified.push(`${profile.id}: ${element.id}`);
      issues.push(
        qaIssue(
          'QA_MUST_SUPPORT_NOT_EXEMPLIFIED',
          `The must-support element ${element.id} of ${profile.id} appears in none of its examples`,
          {
            expression: element.id,
            ...profileRulePlace(sources.declarations.get(`Profile/${profile.id}`), element.id),
          },
        ),
      );
    }
  }
}

interface ElementStep {
  name: string;
  /** For an extension slice: the url its items must carry. */
  url?: string;
}

/**
 * `Patient.extension:isHead.valueBoolean` -> steps below the resource. Slices other than extension slices
 * are approximated by their element (whether an item is in the slice would take the discriminator).
 */
function elementSteps(id: string, sliceProfile: (id: string) => string | undefined): ElementStep[] {
  const parts = id.split('.');
  const steps: ElementStep[] = [];
  for (let i = 1; i < parts.length; i++) {
    const [name = '', slice] = (parts[i] ?? '').split(':');
    const url =
      slice && (name === 'extension' || name === 'modifierExtension')
        ? sliceProfile(parts.slice(0, i + 1).join('.'))
        : undefined;
    // A type slice of a choice (`value[x]:valueString`) names the JSON key itself.
    const jsonName = slice && name.endsWith('[x]') ? slice : name;
    steps.push(url ? { name: jsonName, url } : { name: jsonName });
  }
  return steps;
}

function present(value: Json, steps: ElementStep[]): boolean {
  if (steps.length === 0) return value !== undefined && value !== null;
  if (Array.isArray(value)) return value.some((item) => present(item, steps));
  if (!isJsonObject(value)) return false;
  const [step, ...rest] = steps as [ElementStep, ...ElementStep[]];
  const keys = step.name.endsWith('[x]')
    ? Object.keys(value).filter(
        (key) => key.startsWith(step.name.slice(0, -3)) && /^[A-Z]/.test(key.slice(step.name.length - 3)),
      )
    : [step.name, `_${step.name}`];
  return keys.some((key) => {
    const child = value[key];
    if (child === undefined) return false;
    const items = Array.isArray(child) ? child : [child];
    const inSlice = step.url ? items.filter((item) => isJsonObject(item) && item.url === step.url) : items;
    return inSlice.some((item) => present(item, rest));
  });
}

/** The profile rule that constrains an element (`identifier[Code].value`), else the nearest enclosing one. */
function profileRulePlace(
  declaration: FshDeclaration | undefined,
  elementId: string,
): FshPlace & { mapping: 'rule' | 'declaration'; rulePath?: string } {
  if (!declaration) return { file: '', line: 0, mapping: 'declaration' };
  const fshPath = elementId
    .split('.')
    .slice(1)
    .map((part) => {
      const [name, slice] = part.split(':');
      return slice ? `${name}[${slice}]` : (name ?? '');
    });
  for (let length = fshPath.length; length > 0; length--) {
    const path = fshPath.slice(0, length).join('.');
    const rule = declaration.rules.find((r) => r.path === path);
    if (rule)
      return {
        file: rule.file,
        line: rule.line,
        ...(rule.column ? { column: rule.column } : {}),
        mapping: 'rule',
        rulePath: rule.path,
      };
  }
  return {
    file: declaration.file,
    line: declaration.line,
    ...(declaration.column ? { column: declaration.column } : {}),
    mapping: 'declaration',
  };
}

function checkExtensions(
  inventory: IgInventory,
  sources: FshSources,
  summary: CoverageSummary,
  issues: QaIssue[],
): void {
  const used = usedByExamples(inventory, function* (node) {
    for (const key of ['extension', 'modifierExtension']) {
      const items = node[key];
      if (!Array.isArray(items)) continue;
      for (const item of items) if (isJsonObject(item) && typeof item.url === 'string') yield item.url;
    }
  });
  for (const extension of inventory.extensions) {
    summary.extensions.total++;
    if (used.has(extension.url)) {
      summary.extensions.used++;
      continue;
    }
    summary.extensions.unused.push(extension.url);
    issues.push(
      qaIssue('QA_EXTENSION_UNUSED', `The extension ${extension.id} is used by no example`, {
        expression: extension.url,
        ...declarationPlace(sources, `Extension/${extension.id}`),
      }),
    );
  }
}

function checkCodeSystems(
  inventory: IgInventory,
  sources: FshSources,
  summary: CoverageSummary,
  issues: QaIssue[],
): void {
  const used = usedByExamples(inventory, (node) => (typeof node.system === 'string' ? [node.system] : []));
  // CodeSystems reached from a ValueSet that some profile or extension binds.
  const valueSets = new Map(inventory.valueSets.map((vs) => [vs.url ?? '', vs]));
  const pending: string[] = [];
  for (const structure of [...inventory.profiles, ...inventory.extensions]) {
    for (const element of [
      ...(structure.snapshot?.element ?? []),
      ...(structure.differential?.element ?? []),
    ]) {
      if (element.binding?.valueSet) pending.push(withoutVersion(element.binding.valueSet));
    }
  }
  const seen = new Set<string>();
  while (pending.length > 0) {
    const url = pending.pop() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    const valueSet = valueSets.get(url);
    for (const include of [...(valueSet?.compose?.include ?? []), ...(valueSet?.compose?.exclude ?? [])]) {
      if (include.system) used.add(include.system);
      for (const nested of include.valueSet ?? []) pending.push(withoutVersion(nested));
    }
  }
  for (const codeSystem of inventory.codeSystems) {
    summary.codeSystems.total++;
    if (codeSystem.url && used.has(codeSystem.url)) {
      summary.codeSystems.used++;
      continue;
    }
    summary.codeSystems.unused.push(codeSystem.url ?? codeSystem.id ?? '');
    issues.push(
      qaIssue(
        'QA_CODESYSTEM_UNUSED',
        `The CodeSystem ${codeSystem.id} is used by no example and by no ValueSet that a profile binds`,
        { expression: codeSystem.url ?? '', ...declarationPlace(sources, `CodeSystem/${codeSystem.id}`) },
      ),
    );
  }
}

function checkReferences(
  inventory: IgInventory,
  sources: FshSources,
  summary: CoverageSummary,
  issues: QaIssue[],
): void {
  const known = new Set(inventory.instances.map((r) => `${r.resourceType}/${r.id}`));
  for (const profileLike of [
    ...inventory.profiles,
    ...inventory.extensions,
    ...inventory.codeSystems,
    ...inventory.valueSets,
  ]) {
    known.add(`${profileLike.resourceType}/${profileLike.id}`);
  }
  for (const example of inventory.examples) {
    const { resource } = example;
    const instance = instanceOf(sources, resource);
    const placed = instance ? placeRules(instance, resource) : [];
    const contained = new Set(
      ((resource as { contained?: { id?: string }[] }).contained ?? []).map((r) => `#${r.id ?? ''}`),
    );
    visit(resource, [], (node, path) => {
      const reference = node.reference;
      if (typeof reference !== 'string' || path.length === 0) return;
      summary.references.total++;
      if (isResolvable(reference, known, contained)) {
        summary.references.resolved++;
        return;
      }
      const expression = expressionOf(resource.resourceType, [...path, 'reference']);
      summary.references.unresolved.push(`${resource.resourceType}/${resource.id}: ${reference}`);
      const where = instance
        ? matchRule(instance, placed, expression)
        : { file: '', line: 0, precision: 'instance' as const };
      issues.push(
        qaIssue('QA_REFERENCE_UNRESOLVED', `The reference ${reference} resolves to no resource of the IG`, {
          expression,
          resource: `${resource.resourceType}/${resource.id}`,
          file: where.file,
          line: where.line,
          ...('column' in where && where.column ? { column: where.column } : {}),
          mapping: where.precision,
          ...(where.rulePath ? { rulePath: where.rulePath } : {}),
          ...(where.insertedAt ? { insertedAt: where.insertedAt } : {}),
        }),
      );
    });
  }
}

/** Contained (`#id`) and relative (`Type/id`) references must resolve; absolute URLs point outside the IG. */
function isResolvable(reference: string, known: Set<string>, contained: Set<string>): boolean {
  if (reference.startsWith('#')) return reference === '#' || contained.has(reference);
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) return true;
  const match = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/.*)?$/.exec(reference);
  if (!match) return false;
  return known.has(`${match[1]}/${match[2]}`);
}
