/**
 * `openimis-fhir sync --from MFL_BASE --to TARGET_BASE [--mode lastUpdated|history] [--since T | --state
 * FILE] [--map FILE] [--every 24h] [--report FILE]`, with the `test` command's auth and TLS options for
 * each side (`--from-auth`, `--to-insecure`...). The engine is harness/sync/.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TargetOptions } from '../runner/index.js';
import {
  parseCodeMap,
  readState,
  runSync,
  writeState,
  writeSyncReport,
  type CodeMap,
  type SyncCounts,
  type SyncMode,
  type SyncReport,
} from '../sync/index.js';
import { EXIT, exitCodesText, type ExitCode } from './exit-codes.js';
import { parseAuth, parseByteCount, parseHeaders, tryParseArgs } from './support.js';

const HELP = `Usage: openimis-fhir sync --from MFL_BASE --to TARGET_BASE [options]

Brings the master facility list's changes into a FHIR server (openIMIS): the Locations changed since
the last sync with their managing Organizations and Endpoints, each mapped, validated against R4 and
the openIMIS profile of its type, found in the target by its identifiers, and written only where it
differs (POST 201 when new, PUT 200 when changed; parents first). A failed entry is logged with its
OperationOutcome; the run goes on.

Options:
  --from URL               the registry's FHIR base (the master facility list)
  --to URL                 the target's FHIR base
  --mode MODE              lastUpdated (default): Location?_lastUpdated=ge{lastSync} with _include;
                           history: _history?_since={lastSync}
  --since INSTANT          changes since this instant (default: the state's lastSync, else all)
  --state FILE             the lastSync kept between runs: read at start, written (atomically) only
                           after a run that completed
  --map FILE               codes and identifiers to map: a ConceptMap (JSON) or a CSV with the columns
                           source_system,source_code,target_system,target_code
  --every DURATION         run again at this interval (30s, 15m, 24h, 7d) until stopped
  --report FILE            write the report as FILE (JSON) and FILE's .html beside it
  --ig DIR|TGZ             IG packages to validate against (repeatable; default: fsh-generated/resources)
  --timeout MS             per request (default 30000)
  --max-response-bytes N   a response larger than this is abandoned unread and that fetch fails
                           (default 67108864, 64 MiB)
  --page-size N            resources per page asked of the registry (default 200)
For each side (from-, to-): --from-auth / --to-auth bearer:TOKEN | basic:USER:PASS |
  openimis:USER:PASS, --from-header / --to-header 'Name: value' (repeatable), --from-insecure /
  --to-insecure, --from-ca / --to-ca FILE.
  -h, --help               show this help

${exitCodesText('sync', 'plain')}`;

const DURATION = /^(\d{1,6})(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const sideOptions = (side: 'from' | 'to') =>
  ({
    [`${side}-auth`]: { type: 'string' },
    [`${side}-header`]: { type: 'string', multiple: true },
    [`${side}-insecure`]: { type: 'boolean', default: false },
    [`${side}-ca`]: { type: 'string' },
  }) as const;

interface Settings {
  from: TargetOptions;
  to: TargetOptions;
  mode: SyncMode;
  since?: string;
  state?: string;
  map?: CodeMap;
  everyMs?: number;
  report?: string;
  igs?: string[];
  pageSize?: number;
}

function parseSettings(args: string[]): Settings | { help: true } | Error {
  const parsed = tryParseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      mode: { type: 'string', default: 'lastUpdated' },
      since: { type: 'string' },
      state: { type: 'string' },
      map: { type: 'string' },
      every: { type: 'string' },
      report: { type: 'string' },
      ig: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      'max-response-bytes': { type: 'string' },
      'page-size': { type: 'string' },
      ...sideOptions('from'),
      ...sideOptions('to'),
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!parsed.ok) return new Error(parsed.error);
  const values = parsed.parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (values.help) return { help: true };
  const text = (name: string) => values[name] as string | undefined;
  if (!text('from') || !text('to')) return new Error('--from and --to are both needed');
  const mode = text('mode');
  if (mode !== 'lastUpdated' && mode !== 'history') return new Error('--mode must be lastUpdated or history');
  const since = text('since');
  if (since !== undefined && Number.isNaN(Date.parse(since)))
    return new Error(`--since must be an instant (2025-01-31T00:00:00Z), not '${since}'`);
  if (since !== undefined && text('state') !== undefined)
    return new Error('--since and --state exclude each other');
  const timeout = text('timeout') === undefined ? undefined : Number(text('timeout'));
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0))
    return new Error('--timeout must be a positive number of milliseconds');
  const maxResponseBytes = parseByteCount(text('max-response-bytes'), '--max-response-bytes');
  if (maxResponseBytes instanceof Error) return maxResponseBytes;
  const pageSize = text('page-size') === undefined ? undefined : Number(text('page-size'));
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize > 0 && pageSize <= 10_000))
    return new Error('--page-size must be a number from 1 to 10000');
  const sides: Partial<Record<'from' | 'to', TargetOptions>> = {};
  for (const side of ['from', 'to'] as const) {
    const auth = text(`${side}-auth`);
    const parsedAuth = auth === undefined ? undefined : parseAuth(auth, `--${side}-auth`);
    if (parsedAuth instanceof Error) return parsedAuth;
    const headers = parseHeaders(
      (values[`${side}-header`] as string[] | undefined) ?? [],
      `--${side}-header`,
    );
    if (headers instanceof Error) return headers;
    sides[side] = {
      baseUrl: text(side) as string,
      ...(parsedAuth ? { auth: parsedAuth } : {}),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(values[`${side}-insecure`] ? { insecure: true } : {}),
      ...(text(`${side}-ca`) ? { caFile: text(`${side}-ca`) as string } : {}),
      ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
      ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
    };
  }
  let map: CodeMap | undefined;
  const mapFile = text('map');
  if (mapFile !== undefined) {
    let mapText: string;
    try {
      mapText = readFileSync(mapFile, 'utf8');
    } catch (error) {
      return new Error(`cannot read --map ${mapFile}: ${(error as Error).message}`);
    }
    const parsedMap = parseCodeMap(mapText, mapFile);
    if (parsedMap instanceof Error) return parsedMap;
    map = parsedMap;
  }
  let everyMs: number | undefined;
  const every = text('every');
  if (every !== undefined) {
    const match = DURATION.exec(every);
    if (!match) return new Error(`--every must be a duration like 30s, 15m, 24h or 7d, not '${every}'`);
    everyMs = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    if (everyMs <= 0) return new Error('--every must be longer than nothing');
  }
  const igs = values.ig as string[] | undefined;
  return {
    from: sides.from as TargetOptions,
    to: sides.to as TargetOptions,
    mode,
    ...(since !== undefined ? { since: new Date(Date.parse(since)).toISOString() } : {}),
    ...(text('state') !== undefined ? { state: resolve(text('state') as string) } : {}),
    ...(map ? { map } : {}),
    ...(everyMs !== undefined ? { everyMs } : {}),
    ...(text('report') !== undefined ? { report: resolve(text('report') as string) } : {}),
    ...(igs?.length ? { igs } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
  };
}

const countsLine = (counts: SyncCounts) =>
  `fetched ${counts.fetched}, created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}, failed ${counts.failed}`;

/** One run: since the state's lastSync (or --since), the state advanced only when it completed. */
async function once(settings: Settings): Promise<{ code: ExitCode; report?: SyncReport }> {
  let since = settings.since;
  if (settings.state) {
    const state = readState(settings.state);
    if (state instanceof Error) {
      console.error(`openimis-fhir sync: ${state.message}`);
      return { code: EXIT.usage };
    }
    since = state?.lastSync;
  }
  const report = await runSync({
    from: settings.from,
    to: settings.to,
    mode: settings.mode,
    ...(since ? { since } : {}),
    ...(settings.map ? { map: settings.map } : {}),
    ...(settings.igs ? { igs: settings.igs } : {}),
    ...(settings.pageSize ? { pageSize: settings.pageSize } : {}),
    onProgress: (counts) => process.stderr.write(`sync: ${countsLine(counts)}\n`),
  });
  if (settings.report) {
    try {
      const files = writeSyncReport(settings.report, report);
      console.log(`report: ${files.join(', ')}`);
    } catch (error) {
      console.error(`openimis-fhir sync: cannot write the report: ${(error as Error).message}`);
    }
  }
  for (const failure of report.failures) {
    const first = failure.outcome.issue?.[0];
    console.log(
      `failed ${failure.reference} (${failure.stage}): ${first?.details?.text ?? first?.diagnostics ?? first?.code ?? ''}`,
    );
  }
  console.log(`${report.completed ? 'sync' : 'sync stopped'}: ${countsLine(report.counts)}`);
  if (!report.completed) {
    console.error(
      `openimis-fhir sync: ${report.stopped ?? 'the run did not complete'} (the state is left as it was)`,
    );
    return { code: EXIT.infrastructure, report };
  }
  if (settings.state) {
    try {
      writeState(settings.state, { lastSync: report.nextSince });
    } catch (error) {
      console.error(`openimis-fhir sync: cannot write the state: ${(error as Error).message}`);
      return { code: EXIT.incomplete, report };
    }
  }
  return { code: report.counts.failed > 0 ? EXIT.problems : EXIT.ok, report };
}

export async function runSyncCommand(args: string[]): Promise<ExitCode> {
  const settings = parseSettings(args);
  if (settings instanceof Error) {
    console.error(`openimis-fhir sync: ${settings.message}\n\n${HELP}`);
    return EXIT.usage;
  }
  if ('help' in settings) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (settings.everyMs === undefined) return (await once(settings)).code;
  // Scheduled: runs until SIGINT or SIGTERM; a run that did not complete is tried again at the next turn.
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let last: ExitCode = EXIT.ok;
  let since = settings.since;
  while (!stopping) {
    const run = await once({ ...settings, ...(since ? { since } : {}) });
    last = run.code;
    if (last === EXIT.usage) return last;
    // Without a state file the next run starts where this one left off, in memory.
    if (!settings.state && run.report?.completed) since = run.report.nextSince;
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, settings.everyMs);
    });
  }
  return last;
}
