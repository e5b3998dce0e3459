/**
 * Validation issues and their OperationOutcome form.
 */
import { formatMessage, MESSAGES, type IssueCode, type MessageId, type Severity } from './messages.js';
import type { SourceLocation } from './json-source.js';

export interface ValidationIssue {
  /** A MessageId, or `<profile url>#<key>` for an invariant. */
  id: string;
  severity: Severity;
  code: IssueCode;
  /** FHIRPath with indexes: `Patient.identifier[0].value`. */
  expression: string;
  text: string;
  location?: SourceLocation;
  /** The definition the issue was found against (profile url|version), when it applies. */
  source?: string;
}

export const MESSAGE_ID_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id';
export const ISSUE_SOURCE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-source';
export const ISSUE_LINE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line';
export const ISSUE_COLUMN_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col';

export function issue(
  id: MessageId,
  expression: string,
  args: Readonly<Record<string, string | number>> = {},
  overrides: { severity?: Severity; source?: string } = {},
): ValidationIssue {
  const definition = MESSAGES[id];
  return {
    id,
    severity: overrides.severity ?? definition.severity,
    code: definition.code,
    expression,
    text: formatMessage(id, args),
    ...(overrides.source ? { source: overrides.source } : {}),
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { fatal: 0, error: 1, warning: 2, information: 3 };

function compareIssues(a: ValidationIssue, b: ValidationIssue): number {
  const byLine = (a.location?.line ?? 0) - (b.location?.line ?? 0);
  if (byLine !== 0) return byLine;
  const byColumn = (a.location?.column ?? 0) - (b.location?.column ?? 0);
  if (byColumn !== 0) return byColumn;
  if (a.expression !== b.expression) return a.expression < b.expression ? -1 : 1;
  const bySeverity = SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
  if (bySeverity !== 0) return bySeverity;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

/** Sorted by source position, then expression, severity, id and text; exact duplicates removed. */
export function sortAndDeduplicate(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  const unique: ValidationIssue[] = [];
  for (const item of issues) {
    const key = `${item.severity}\u0000${item.expression}\u0000${item.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(item);
  }
  return unique.sort(compareIssues);
}

export function toOperationOutcome(issues: ValidationIssue[]): fhir4.OperationOutcome {
  if (issues.length === 0) {
    return {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', details: { text: 'No issues found' } }],
    };
  }
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((item) => {
      const extension: fhir4.Extension[] = [{ url: MESSAGE_ID_EXTENSION, valueString: item.id }];
      if (item.location) {
        extension.push({ url: ISSUE_LINE_EXTENSION, valueInteger: item.location.line });
        extension.push({ url: ISSUE_COLUMN_EXTENSION, valueInteger: item.location.column });
      }
      if (item.source) extension.push({ url: ISSUE_SOURCE_EXTENSION, valueString: item.source });
      return {
        extension,
        severity: item.severity,
        code: item.code,
        details: { text: item.text },
        ...(item.location ? { diagnostics: `[${item.location.line},${item.location.column}]` } : {}),
        // A document-level issue (a JSON syntax error) has no expression; FHIR forbids empty strings.
        ...(item.expression ? { expression: [item.expression] } : {}),
      };
    }),
  };
}

export function countBySeverity(issues: ValidationIssue[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { fatal: 0, error: 0, warning: 0, information: 0 };
  for (const item of issues) counts[item.severity]++;
  return counts;
}
