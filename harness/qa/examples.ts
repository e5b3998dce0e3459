/**
 * Validates every generated example against FHIR R4 core, the IG and the profile it illustrates, and
 * places each issue at the FSH rule that wrote the element it is about.
 */
import type { IgInventory } from '../ig/inventory.js';
import type { Validator } from '../validator/index.js';
import { instanceOf, type FshSources } from './fsh-sources.js';
import { qaIssue, type QaIssue } from './issues.js';
import { matchRule, placeRules } from './rule-paths.js';

export function validateExamples(
  inventory: IgInventory,
  sources: FshSources,
  validator: Validator,
): QaIssue[] {
  const issues: QaIssue[] = [];
  for (const example of inventory.examples) {
    const { resource } = example;
    const reference = `${resource.resourceType}/${resource.id ?? ''}`;
    const instance = instanceOf(sources, resource);
    if (!instance) {
      issues.push(
        qaIssue('QA_EXAMPLE_NO_SOURCE', `No FSH instance was found for the example ${reference}`, {
          expression: resource.resourceType,
          resource: reference,
          file: '',
          line: 0,
          mapping: 'instance',
        }),
      );
    }
    const placed = instance ? placeRules(instance, resource) : [];
    const { issues: found } = validator.validateDetailed(resource, {
      profiles: example.profile ? [example.profile] : [],
    });
    for (const item of found) {
      const where = instance ? matchRule(instance, placed, item.expression) : undefined;
      issues.push({
        id: item.id,
        severity: item.severity,
        code: item.code,
        expression: item.expression,
        text: item.text,
        file: where?.file ?? '',
        line: where?.line ?? 0,
        ...(where?.column ? { column: where.column } : {}),
        origin: 'validator',
        resource: reference,
        mapping: where?.precision ?? 'instance',
        ...(where?.rulePath ? { rulePath: where.rulePath } : {}),
        ...(where?.insertedAt ? { insertedAt: where.insertedAt } : {}),
      });
    }
  }
  return issues;
}
