/**
 * SARIF 2.1.0, for code-scanning dashboards: one run, whose tool.driver lists a rule per message id met
 * and whose results carry ruleId, level, message, the file and line/column, and the FHIRPath expression
 * as a logical location. Baselined issues are results with an external suppression and its reason.
 * JSON members may come in any order, so results stream first and the rules, known at the end, follow.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidationIssue } from '../../validator/issues.js';
import { MESSAGES, type Severity } from '../../validator/messages.js';
import type { Sink } from '../output.js';
import type { ResourceResult, SuppressedIssue } from '../results.js';
import { DEFAULT_TOOL, type FormatOptions, type Formatter } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  fatal: 'error',
  error: 'error',
  warning: 'warning',
  information: 'note',
};

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A rule's short description: the message's template, or for an invariant its key and first text. */
function ruleText(item: ValidationIssue): string {
  const known = (MESSAGES as Record<string, { template: string } | undefined>)[item.id];
  return known ? known.template : item.text;
}

function sarifResult(file: string, item: ValidationIssue | SuppressedIssue): object {
  // Relative paths resolve against SRCROOT (what code scanning wants); others are file: URLs.
  const artifactLocation = isAbsolute(file)
    ? { uri: pathToFileURL(file).href }
    : { uri: encodeURI(file), uriBaseId: 'SRCROOT' };
  const physicalLocation = {
    artifactLocation,
    ...(item.location
      ? { region: { startLine: item.location.line, startColumn: item.location.column } }
      : {}),
  };
  return {
    ruleId: item.id,
    level: LEVEL[item.severity],
    message: { text: item.text },
    locations: [
      {
        physicalLocation,
        ...(item.expression
          ? { logicalLocations: [{ fullyQualifiedName: item.expression, kind: 'element' }] }
          : {}),
      },
    ],
    ...('reason' in item ? { suppressions: [{ kind: 'external', justification: item.reason }] } : {}),
  };
}

export function createSarifFormatter(sink: Sink, options: FormatOptions): Formatter {
  const tool = options.tool ?? DEFAULT_TOOL;
  const rules = new Map<string, string>();
  let first = true;
  sink.write(`{\n"$schema": "${SARIF_SCHEMA}",\n"version": "2.1.0",\n"runs": [{\n"results": [`);
  const emit = (result: ResourceResult, item: ValidationIssue | SuppressedIssue) => {
    if (!rules.has(item.id)) rules.set(item.id, ruleText(item));
    sink.write(`${first ? '\n' : ',\n'}${JSON.stringify(sarifResult(result.file, item))}`);
    first = false;
  };
  return {
    add(result) {
      for (const item of result.issues) emit(result, item);
      for (const item of result.suppressed ?? []) emit(result, item);
    },
    end() {
      const driver = {
        name: tool.name,
        version: tool.version,
        informationUri: 'https://openimis.github.io/openimis_fhir_r4_ig',
        rules: [...rules.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([id, text]) => ({ id, shortDescription: { text } })),
      };
      const base = { SRCROOT: { uri: `${pathToFileURL(options.cwd ?? process.cwd()).href}/` } };
      sink.write(
        `${first ? '' : '\n'}],\n"tool": ${JSON.stringify({ driver })},\n` +
          `"originalUriBaseIds": ${JSON.stringify(base)},\n"columnKind": "utf16CodeUnits"\n}]\n}\n`,
      );
    },
  };
}
