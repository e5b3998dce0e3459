/**
 * `openimis-fhir build [--force] [--diagnosis-codes FILE] [--json]`
 */
import { resolve } from 'node:path';
import { buildIg, type IgBuildResult } from '../ig/build.js';
import { readInventory } from '../ig/inventory.js';
import { igPaths } from '../paths.js';
import { EXIT, exitCodesText, type ExitCode } from './exit-codes.js';
import { tryParseArgs, usageOrHelp } from './support.js';

const HELP = `Usage: openimis-fhir build [options]

Compiles the IG (input/fsh, sushi-config.yaml) with SUSHI into fsh-generated/, with snapshots, offline:
the FHIR R4 core package is assembled from the definitions installed with npm. Nothing is done when the
output is newer than every input, unless --force.

Options:
  --force                  rebuild even when the output is up to date
  --diagnosis-codes FILE   a CSV (code,display) of the deployment's ICD-10 diagnoses; replaces the shipped
                           fragment (default: input/data/diagnosis-ICD10-level1.csv when present)
  --json                   print the result as JSON
  -h, --help               show this help

${exitCodesText('build', 'plain')}`;

export async function runBuildCommand(args: string[]): Promise<ExitCode> {
  const parsed = tryParseArgs({
    args,
    options: {
      force: { type: 'boolean', default: false },
      'diagnosis-codes': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!parsed.ok || parsed.parsed.values.help) return usageOrHelp('build', HELP, parsed);
  const { values } = parsed.parsed;
  const diagnosisCodes = values['diagnosis-codes'];
  const result = await buildIg({
    force: values.force,
    ...(diagnosisCodes ? { diagnosisCodes: resolve(diagnosisCodes) } : {}),
  });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else console.log(formatBuildResult(result));
  return result.status === 'failed' ? EXIT.problems : EXIT.ok;
}

function formatBuildResult(result: IgBuildResult): string {
  if (result.status === 'failed') {
    const lines = [`IG build failed: ${result.reason}`];
    for (const message of result.messages.filter((m) => !m.expectedOffline)) {
      const where = message.file ? ` (${message.file}${message.line ? `:${message.line}` : ''})` : '';
      lines.push(`  ${message.level.padEnd(5)} ${message.text}${where}`);
    }
    return lines.join('\n');
  }
  const { stamp } = result;
  const lines: string[] = [];
  if (result.status === 'up-to-date')
    lines.push(`IG is up to date (built ${stamp.builtAt}); --force rebuilds it.`);
  else {
    const core = result.corePackage;
    lines.push(`IG built in ${(result.durationMs / 1000).toFixed(1)} s`);
    lines.push(`  core package   hl7.fhir.r4.core#4.0.1 ${core.status} (${core.dir})`);
    for (const skipped of core.skipped)
      lines.push(`                 skipped ${skipped.reference}: ${skipped.reason}`);
  }
  const offline = stamp.messages.filter((m) => m.expectedOffline);
  const other = stamp.messages.filter((m) => !m.expectedOffline);
  lines.push(
    `  SUSHI ${stamp.sushiVersion}   ${stamp.errors} errors, ${other.length} warnings` +
      (offline.length
        ? ` (and ${offline.length} notices: automatic dependencies cannot be fetched offline)`
        : ''),
  );
  for (const message of other) {
    const where = message.file ? ` (${message.file}${message.line ? `:${message.line}` : ''})` : '';
    lines.push(`    ${message.level} ${message.text}${where}`);
  }
  if (stamp.diagnosisCodes) {
    lines.push(
      `  diagnoses      ${stamp.diagnosisCodes.count} codes loaded from ${stamp.diagnosisCodes.file}`,
    );
  }
  const inventory = readInventory(igPaths().generatedResources);
  lines.push(
    `  artifacts      ${inventory.profiles.length} profiles, ${inventory.extensions.length} extensions, ` +
      `${inventory.codeSystems.length} CodeSystems, ${inventory.valueSets.length} ValueSets, ` +
      `${inventory.searchParameters.length} SearchParameters, ${inventory.examples.length} examples`,
  );
  return lines.join('\n');
}
