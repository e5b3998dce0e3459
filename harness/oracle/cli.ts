#!/usr/bin/env node
/**
 * `npm run oracle -- DIR`: runs the HL7 validator's R4 test cases in DIR through our validator and
 * reports how far the outcomes agree with the Java validator's.
 */
import { resolve } from 'node:path';
import { EXIT, exitCodesText, type ExitCode } from '../cli/exit-codes.js';
import { tryParseArgs } from '../cli/support.js';
import { TIERS, type Tier } from './cases.js';
import { ALL_SEVERITIES, ERROR_SEVERITIES, type Severity } from './compare.js';
import { buildReport, formatCase, formatJson, formatText } from './report.js';
import { hl7DefaultsBinding, runOracle } from './run.js';

const USAGE = `Usage: npm run oracle -- DIR [options]

Runs the HL7 validator test cases described by DIR/cases.json through our validator.

Options:
  --json                one JSON object: { tiers, combined, disagreements, notScored }
  --case NAME           run one case and print both outcomes side by side
  --tier A,B            only these tiers (${TIERS.join(', ')})
  --severities LIST     severities whose (severity, expression) pairs are compared
                        (default fatal,error; any of ${ALL_SEVERITIES.join(', ')})
  --ignore-options      also score cases whose validator options we cannot honour
  -h, --help            this text

${exitCodesText('oracle', 'plain')}`;

export async function runOracleCommand(args: string[]): Promise<ExitCode> {
  const parsed = tryParseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      case: { type: 'string' },
      tier: { type: 'string' },
      severities: { type: 'string' },
      'ignore-options': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (!parsed.ok) return usageError(parsed.error);
  const { values, positionals } = parsed.parsed;
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) return usageError('give exactly one test-case folder');
  const dir = resolve(positionals[0] ?? '');

  const tiers = values.tier === undefined ? undefined : parseList(values.tier, TIERS);
  if (tiers instanceof Error) return usageError(`--tier: ${tiers.message}`);
  const severities =
    values.severities === undefined ? ERROR_SEVERITIES : parseList(values.severities, ALL_SEVERITIES);
  if (severities instanceof Error) return usageError(`--severities: ${severities.message}`);

  const result = runOracle(dir, hl7DefaultsBinding, {
    ...(tiers ? { tiers: tiers as Tier[] } : {}),
    ...(values.case !== undefined ? { caseName: values.case } : {}),
    severities: severities as Severity[],
    ignoreOptions: values['ignore-options'] === true,
  });
  if (result instanceof Error) {
    console.error(`oracle: ${result.message}`);
    return EXIT.usage;
  }
  if (values.case !== undefined) {
    const [only] = result.results;
    if (!only) return usageError(`no case named "${values.case}"${tiers ? ' in the selected tiers' : ''}`);
    console.log(
      values.json ? JSON.stringify({ score: only.score, run: only.run }, null, 2) : formatCase(only, dir),
    );
    return only.score.disagrees ? EXIT.problems : EXIT.ok;
  }
  const report = buildReport(result);
  console.log(values.json ? formatJson(report) : formatText(report));
  return EXIT.ok;
}

function parseList<T extends string>(text: string, allowed: readonly T[]): T[] | Error {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0) return new Error(`unknown ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
  return items as T[];
}

function usageError(message: string): ExitCode {
  console.error(`oracle: ${message}\n\n${USAGE}`);
  return EXIT.usage;
}

runOracleCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A fault of the oracle itself: one line, no stack trace.
    console.error(`oracle: internal error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT.incomplete;
  },
);
