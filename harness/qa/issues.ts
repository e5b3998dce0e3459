/**
 * A qa issue: a validator issue, a SUSHI message or a coverage finding, placed at an FSH file and line.
 * Its first fields are those of a ValidationIssue, so the validate command's report formats read it.
 */
import type { IssueCode, Severity } from '../validator/index.js';
import type { FshPlace } from './fsh-sources.js';
import type { MappingPrecision } from './rule-paths.js';

export type QaOrigin = 'sushi' | 'validator' | 'coverage' | 'definition';

export interface QaIssue {
  id: string;
  severity: Severity;
  code: IssueCode;
  /** FHIRPath into the generated resource, or the artifact's canonical for coverage findings. */
  expression: string;
  text: string;
  /** The FSH file relative to the project root ('' when the source is not FSH, e.g. sushi-config.yaml). */
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  /** 1-based; absent when only the line is known. */
  column?: number;
  origin: QaOrigin;
  /** `Patient/john-doe` for an issue about a generated example. */
  resource?: string;
  /** How the issue found its line: a validator issue's match precision, or where SUSHI / the check put it. */
  mapping: MappingPrecision | 'sushi' | 'declaration' | 'rule' | 'invariant';
  /** The FSH rule path the issue was mapped to. */
  rulePath?: string;
  /** When the rule came from a RuleSet: where that RuleSet was inserted. */
  insertedAt?: FshPlace;
}

/** The qa checks' own messages: id, severity, issue type. */
export const QA_MESSAGES = {
  QA_SUSHI_ERROR: { severity: 'error', code: 'processing' },
  QA_SUSHI_WARNING: { severity: 'warning', code: 'processing' },
  QA_EXAMPLE_NO_SOURCE: { severity: 'information', code: 'not-found' },
  QA_PROFILE_NO_EXAMPLE: { severity: 'warning', code: 'incomplete' },
  QA_MUST_SUPPORT_NOT_EXEMPLIFIED: { severity: 'information', code: 'incomplete' },
  QA_EXTENSION_UNUSED: { severity: 'warning', code: 'incomplete' },
  QA_CODESYSTEM_UNUSED: { severity: 'warning', code: 'incomplete' },
  QA_REFERENCE_UNRESOLVED: { severity: 'error', code: 'not-found' },
  QA_INVARIANT_SYNTAX: { severity: 'error', code: 'invalid' },
  QA_INVARIANT_UNKNOWN_ELEMENT: { severity: 'error', code: 'invalid' },
  QA_INVARIANT_PROHIBITED_ELEMENT: { severity: 'warning', code: 'business-rule' },
  QA_INVARIANT_UNKNOWN_EXTENSION: { severity: 'warning', code: 'not-found' },
} as const satisfies Record<string, { severity: Severity; code: IssueCode | 'incomplete' }>;

export type QaMessageId = keyof typeof QA_MESSAGES;

export function qaIssue(
  id: QaMessageId,
  text: string,
  where: Omit<QaIssue, 'id' | 'severity' | 'code' | 'text' | 'origin'> & { origin?: QaOrigin },
): QaIssue {
  const definition = QA_MESSAGES[id];
  // 'incomplete' is not an issue type the validator emits; coverage findings are informational to FHIR.
  const code: IssueCode = definition.code === 'incomplete' ? 'informational' : definition.code;
  return { id, severity: definition.severity, code, text, origin: 'coverage', ...where };
}

const SEVERITY_RANK: Record<Severity, number> = { fatal: 0, error: 1, warning: 2, information: 3 };

/** File, line, severity, id, expression, text: the same run always gives the same order. */
export function compareQaIssues(a: QaIssue, b: QaIssue): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareText(a.id, b.id) ||
    compareText(a.expression, b.expression) ||
    compareText(a.text, b.text)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
