/**
 * `openimis-fhir test`: runs the scenarios against a FHIR server (the bundled reference server when no
 * --server is given) and reports the way CI and people want.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtInScenarios } from '../scenarios/index.js';
import {
  createConsoleReporter,
  REPORT_FORMATS,
  writeReports,
  type ReportFormat,
} from '../runner/reporters/index.js';
import {
  loadScenarios,
  runScenarios,
  selectScenarios,
  type RunResult,
  type ScenarioDefinition,
  type TargetOptions,
} from '../runner/index.js';
import { parseInputAssignment, parseInputsFile, resolveInputs } from '../runner/inputs.js';
import type { CapabilityMode } from '../runner/types.js';
import { startServer, type RunningServer } from '../server/server.js';
import { EXIT, exitCodesText, type ExitCode } from './exit-codes.js';
import { ensureFreshIg } from './fresh-ig.js';
import { parseAuth, parseByteCount, parseHeaders, tryParseArgs } from './support.js';

/** 3: the target is unreachable or the run's infrastructure failed. */

const HELP = `Usage: openimis-fhir test [options]

Runs the scenarios against a FHIR server and reports the results. Without --server it starts the bundled
reference server, as 'serve --seed --claim-feedback all' starts it, on a free loopback port and tests that.

Target:
  --server URL             the FHIR base URL to test
  --auth SPEC              bearer:TOKEN | basic:USER:PASS | openimis:USER:PASS (the openIMIS login,
                           renewed on expiry or on a 401)
  --header 'Name: value'   a header sent with every request (repeatable)
  --timeout MS             per request (default 30000)
  --max-response-bytes N   a response body larger than this fails its step unread (default 67108864,
                           64 MiB); the client's memory stays bounded whatever the target sends
  --insecure               accept any TLS certificate
  --no-build               refuse to run on a stale fsh-generated/ (default: build it first when
                           input/ changed since its last build; replies are validated against it)
  --ca FILE                trust the CA certificates in this PEM file too

Selection and run:
  --scenario a,b           only these scenario ids
  --tag t                  only scenarios with this tag (repeatable)
  --scenarios DIR          also load the scenario modules (.js, .mjs, .ts) in DIR
  --parallel N             scenarios run at the same time (default 1)
  --keep                   keep what the scenarios created (default: deleted at the end)
  --capabilities MODE      what a need the server's CapabilityStatement does not declare does:
                           declared (default) skips it, ignore runs it anyway (noted in the step),
                           strict fails it
  --strict-capabilities    the same as --capabilities strict

Inputs (what a scenario cannot make on the target, such as an existing insuree's code):
  --input name=value       a value for a declared input (repeatable; wins over --inputs)
  --inputs FILE            a JSON or YAML map of input names to values
  --list-inputs            print the inputs the selected scenarios declare, and exit

Reports:
  --report-dir DIR         where report files go (default reports)
  --format LIST            console,json,junit,testreport,html (default: all)
  -h, --help               show this help

${exitCodesText('test', 'plain')}`;

const FORMATS = ['console', ...REPORT_FORMATS] as const;

/** The exit code a run deserves. */
export function exitCodeOf(result: RunResult): ExitCode {
  if (result.infrastructureError)
    return result.runErrorKind === 'configuration' ? EXIT.usage : EXIT.infrastructure;
  const steps = result.scenarios.flatMap((s) => s.steps);
  if (steps.some((s) => s.outcome === 'fail') || result.scenarios.some((s) => s.outcome === 'fail'))
    return EXIT.problems;
  if (steps.some((s) => s.outcome === 'error') || result.scenarios.some((s) => s.outcome === 'error'))
    return EXIT.infrastructure;
  const executed = steps.filter((s) => s.outcome !== 'skip').length;
  return executed === 0 ? EXIT.problems : EXIT.ok;
}

export async function runTestCommand(args: string[]): Promise<ExitCode> {
  const parsed = tryParseArgs({
    args,
    options: {
      server: { type: 'string' },
      auth: { type: 'string' },
      header: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      'max-response-bytes': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      insecure: { type: 'boolean', default: false },
      ca: { type: 'string' },
      scenario: { type: 'string' },
      tag: { type: 'string', multiple: true },
      scenarios: { type: 'string' },
      parallel: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
      'strict-capabilities': { type: 'boolean', default: false },
      capabilities: { type: 'string' },
      input: { type: 'string', multiple: true },
      inputs: { type: 'string' },
      'list-inputs': { type: 'boolean', default: false },
      'report-dir': { type: 'string', default: 'reports' },
      format: { type: 'string', default: FORMATS.join(',') },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!parsed.ok) return usage(parsed.error);
  const { values } = parsed.parsed;
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const formats = values.format
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknownFormat = formats.find((f) => !(FORMATS as readonly string[]).includes(f));
  if (unknownFormat) return usage(`unknown format '${unknownFormat}'; choose from ${FORMATS.join(', ')}`);
  const parallel = Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1)
    return usage('--parallel must be a whole number of 1 or more');
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs <= 0))
    return usage('--timeout must be a number of milliseconds');
  const maxResponseBytes = parseByteCount(values['max-response-bytes'], '--max-response-bytes');
  if (maxResponseBytes instanceof Error) return usage(maxResponseBytes.message);
  const auth = values.auth === undefined ? undefined : parseAuth(values.auth);
  if (auth instanceof Error) return usage(auth.message);
  const headers = parseHeaders(values.header ?? []);
  if (headers instanceof Error) return usage(headers.message);

  let scenarios: ScenarioDefinition[] = [...builtInScenarios];
  if (values.scenarios) {
    const loaded = await loadScenarios(resolve(values.scenarios));
    if (loaded instanceof Error) return usage(loaded.message);
    scenarios = [...scenarios, ...loaded];
  }
  const ids = values.scenario
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const select = { ...(ids?.length ? { ids } : {}), ...(values.tag?.length ? { tags: values.tag } : {}) };
  const selected = selectScenarios(scenarios, select);
  if (selected instanceof Error) return usage(selected.message);
  if (selected.length === 0) return usage('no scenario matches the selection');
  if (values['list-inputs']) {
    console.log(inputsListing(selected));
    return EXIT.ok;
  }
  const capabilities = capabilityModeOf(values.capabilities, values['strict-capabilities']);
  if (capabilities instanceof Error) return usage(capabilities.message);
  const inputs = readInputs(values.inputs, values.input ?? []);
  if (inputs instanceof Error) return usage(inputs.message);
  const resolvedInputs = resolveInputs(selected, inputs);
  if (resolvedInputs instanceof Error) return usage(resolvedInputs.message);

  const stale = await ensureFreshIg({ noBuild: values['no-build'], say: (line) => console.error(line) });
  if (stale) return usage(stale.message);
  let bundled: RunningServer | undefined;
  if (!values.server) {
    try {
      // Every claim selected for feedback, so the claim scenario's feedback step has a request to answer.
      bundled = await startServer({ port: 0, seed: true, claimFeedback: { mode: 'all' } });
    } catch (error) {
      console.error(
        `openimis-fhir test: cannot start the bundled server: ${error instanceof Error ? error.message : String(error)}`,
      );
      return EXIT.infrastructure;
    }
  }
  const target: TargetOptions = {
    baseUrl: values.server ?? (bundled as RunningServer).url,
    ...(auth ? { auth } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
    ...(values.insecure ? { insecure: true } : {}),
    ...(values.ca ? { caFile: resolve(values.ca) } : {}),
  };
  const console_ = formats.includes('console') ? createConsoleReporter(process.stdout) : undefined;
  let result: RunResult;
  try {
    result = await runScenarios(selected, {
      target,
      parallel,
      keep: values.keep,
      capabilities,
      inputs,
      bundledServer: bundled !== undefined,
      // A registry to sync from, and the like: the bundled server, empty, storing what it is sent as is.
      helperServer: async () => {
        const helper = await startServer({ port: 0, validation: 'off', subscriptions: false });
        return { url: helper.url, close: () => helper.close() };
      },
      ...(console_ ? { onEvent: (event) => console_.onEvent(event) } : {}),
    });
  } finally {
    await bundled?.close();
  }
  console_?.summary(result);
  const files = formats.filter((f): f is ReportFormat => f !== 'console');
  if (files.length > 0) {
    const written = await writeReports(result, { dir: resolve(values['report-dir']), formats: files });
    console.log(`reports: ${written.join(', ')}`);
  }
  return exitCodeOf(result);
}

const CAPABILITY_MODES: readonly CapabilityMode[] = ['declared', 'ignore', 'strict'];

function capabilityModeOf(mode: string | undefined, strictFlag: boolean): CapabilityMode | Error {
  if (mode === undefined) return strictFlag ? 'strict' : 'declared';
  if (!(CAPABILITY_MODES as readonly string[]).includes(mode))
    return new Error(`--capabilities must be ${CAPABILITY_MODES.join(', ')}, not '${mode}'`);
  if (strictFlag && mode !== 'strict')
    return new Error(`--strict-capabilities contradicts --capabilities ${mode}`);
  return mode as CapabilityMode;
}

/** The file's values, then each --input over them. */
function readInputs(file: string | undefined, assignments: string[]): Record<string, string> | Error {
  const values = Object.create(null) as Record<string, string>;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(file), 'utf8');
    } catch (error) {
      return new Error(
        `cannot read --inputs ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    const parsed = parseInputsFile(text, file);
    if (parsed instanceof Error) return parsed;
    Object.assign(values, parsed);
  }
  for (const assignment of assignments) {
    const pair = parseInputAssignment(assignment);
    if (pair instanceof Error) return pair;
    values[pair[0]] = pair[1];
  }
  return values;
}

function inputsListing(scenarios: readonly ScenarioDefinition[]): string {
  const lines: string[] = [];
  for (const scenario of scenarios) {
    for (const input of scenario.inputs ?? []) {
      const extra = [
        input.default !== undefined ? `default ${input.secret ? '***' : input.default}` : 'no default',
        ...(input.secret ? ['secret'] : []),
      ];
      lines.push(`${scenario.id}  ${input.name}  ${input.description} (${extra.join(', ')})`);
    }
  }
  return lines.length > 0 ? lines.join('\n') : 'The selected scenarios declare no inputs.';
}

function usage(message: string): ExitCode {
  console.error(`openimis-fhir test: ${message}\n\nRun 'openimis-fhir test --help' for the options.`);
  return EXIT.usage;
}
