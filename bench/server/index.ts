/**
 * The server bench: our server against @medplum/fhir-router 4.5.2 (MemoryRepository behind express), both
 * loaded with the same Patients, measured one after the other with the same load client, in one run.
 *
 * Settings (environment): BENCH_PATIENTS (100000), BENCH_SECONDS per case (10), BENCH_WARMUP_SECONDS (2),
 * BENCH_CONNECTIONS (10), BENCH_TARGETS (ours,medplum), BENCH_IN_PROCESS=1 to run the servers inside the
 * load client's process instead of a process each, BENCH_CPU_PROF=1 to write a CPU profile per server
 * process to reports/cpu-prof/.
 *
 * Targets (issues 4 and 16): at least 3x medplum's throughput on read and 2x on the token search, a p99
 * under 20 ms for the token search and under 30 ms for gender=female&_count=10; ours loaded as
 * `serve --load` loads (bulk-load.ts: two validation threads, lenient) at 40,000 Patients/s or more, in
 * 3 KB of RSS per Patient or less.
 *
 * Load (issue 16, BENCH_SERVER_PARTS load): BENCH_STRICT_PATIENTS (100000) insurees conformant to
 * openimis-patient loaded under strict validation, at least 5,000/s; BENCH_PATIENTS Patients loaded into a
 * journal (--db), then a server started on it: the replay at least 16,667 Patients/s (a million in a
 * minute).
 *
 * Adjudication (issue 13, adjudication.ts): claims of ten lines POSTed to our server over HTTP, against
 * an absolute target (no peer adjudicates): at least 500 claims/s on 2 cores and a p99 under 50 ms.
 * BENCH_CLAIM_INSUREES (10000) sets the insurees.
 *
 * Enrollment (issue 14, enrollment.ts): transactions of one family each (five Patients and their Group)
 * POSTed to our server over HTTP, against an absolute target: at least 300 families/s on 2 cores.
 *
 * Sync (issue 15, sync.ts): a registry of BENCH_SYNC_FACILITIES (10000) facilities synced into an empty
 * server, both bundled, each in a process of its own: at least 1,000 facilities/s. Notifications
 * (notifications.ts): writes at 100/s that a rest-hook subscription selects, latency from write to
 * delivery: p99 under 100 ms.
 *
 * BENCH_SERVER_PARTS (compare,adjudication,enrollment,sync,notifications) picks the parts.
 */
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { envFlag, envNumber, formatTable, machine, writeReport } from '../common.js';
import { measure, type LoadResult } from './load.js';
import { identifierOf, patientId } from './patients.js';
import { CLAIM_LINES, checkAdjudication, claimBody } from './adjudication.js';
import { FAMILY_MEMBERS, checkEnrollment, familyBody } from './enrollment.js';
import { measureNotifications, type NotificationBenchResult } from './notifications.js';
import { measureSync, type SyncBenchResult } from './sync.js';
import { forkTarget } from './target-process.js';
import {
  startTarget,
  TARGETS,
  type LoadFigures,
  type RunningTarget,
  type TargetKind,
  type TargetName,
} from './targets.js';

interface BenchCase {
  name: string;
  /** A path below the FHIR base, different per request where the case is about lookups. */
  nextPath: (count: number) => string;
  /** Checks one answer, so that a bench of 404s or wrong results cannot pass for a fast one. */
  check: (body: unknown, path: string) => string | undefined;
}

function randomIndex(count: number): number {
  return Math.floor(Math.random() * count);
}

function entries(body: unknown): { resource?: { id?: string; gender?: string } }[] | undefined {
  const bundle = body as { resourceType?: string; entry?: { resource?: { id?: string } }[] };
  return bundle.resourceType === 'Bundle' ? (bundle.entry ?? []) : undefined;
}

const CASES: BenchCase[] = [
  {
    name: 'read Patient/{id}',
    nextPath: (count) => `Patient/${patientId(randomIndex(count))}`,
    check: (body, path) =>
      (body as { id?: string }).id === path.split('/')[1] ? undefined : 'wrong or no Patient',
  },
  {
    name: 'search identifier=sys|value',
    nextPath: (count) => {
      const { system, value } = identifierOf(
        randomIndex(count),
        Math.random() < 0.5 ? 'insuree' : 'national',
      );
      return `Patient?identifier=${encodeURIComponent(`${system}|${value}`)}`;
    },
    check: (body) => (entries(body)?.length === 1 ? undefined : 'expected exactly one match'),
  },
  {
    name: 'search gender=female&_count=10',
    nextPath: () => 'Patient?gender=female&_count=10',
    check: (body) => {
      const page = entries(body);
      return page?.length === 10 && page.every((e) => e.resource?.gender === 'female')
        ? undefined
        : 'expected a page of 10 female Patients';
    },
  },
];

const PARTS = ['compare', 'load', 'adjudication', 'enrollment', 'sync', 'notifications'] as const;
type Part = (typeof PARTS)[number];

interface Settings {
  patients: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  targets: TargetName[];
  inProcess: boolean;
  cpuProfile: boolean;
  parts: Part[];
  claimInsurees: number;
  syncFacilities: number;
  strictPatients: number;
}

function settings(): Settings {
  const targets = (process.env.BENCH_TARGETS ?? TARGETS.join(',')).split(',').map((t) => t.trim());
  for (const target of targets) {
    if (!TARGETS.includes(target as TargetName))
      throw new RangeError(`BENCH_TARGETS: unknown target ${target}`);
  }
  return {
    patients: Math.floor(envNumber('BENCH_PATIENTS', 100_000)),
    seconds: envNumber('BENCH_SECONDS', 10),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2),
    connections: Math.floor(envNumber('BENCH_CONNECTIONS', 10)),
    targets: targets as TargetName[],
    inProcess: envFlag('BENCH_IN_PROCESS'),
    cpuProfile: envFlag('BENCH_CPU_PROF'),
    parts: (process.env.BENCH_SERVER_PARTS ?? PARTS.join(','))
      .split(',')
      .map((part) => part.trim())
      .filter((part): part is Part => {
        if (!PARTS.includes(part as Part)) throw new RangeError(`BENCH_SERVER_PARTS: unknown part ${part}`);
        return true;
      }),
    claimInsurees: Math.floor(envNumber('BENCH_CLAIM_INSUREES', 10_000)),
    syncFacilities: Math.floor(envNumber('BENCH_SYNC_FACILITIES', 10_000)),
    strictPatients: Math.floor(envNumber('BENCH_STRICT_PATIENTS', 100_000)),
  };
}

interface TargetReport {
  figures: LoadFigures;
  cases: Record<string, CaseResult>;
}

async function launch(name: TargetKind, options: Settings, count = options.patients): Promise<RunningTarget> {
  if (options.inProcess) return startTarget(name, count);
  const profile = options.cpuProfile
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${join(PROJECT_ROOT, 'reports', 'cpu-prof')}`,
        `--cpu-prof-name=${name}.cpuprofile`,
      ]
    : [];
  return forkTarget(name, count, profile);
}

/** Asks once and checks the answer; returns how long it took in ms. */
async function pilot(
  target: RunningTarget,
  name: TargetName,
  benchCase: BenchCase,
  count: number,
): Promise<number> {
  const path = benchCase.nextPath(count);
  const started = performance.now();
  const response = await fetch(`${target.url}/${path}`, { headers: { accept: 'application/fhir+json' } });
  const body: unknown = response.ok ? await response.json() : undefined;
  const elapsed = performance.now() - started;
  const problem = response.ok ? benchCase.check(body, path) : `HTTP ${response.status}`;
  if (problem) throw new Error(`${name} answers GET ${path} wrongly: ${problem}`);
  return elapsed;
}

/**
 * A request autocannon gave up on at the end of a timed run is still being worked on by the server;
 * one more request waits for that work, so the next measurement starts on an idle server.
 */
async function drain(target: RunningTarget, count: number): Promise<void> {
  await (await fetch(`${target.url}/${CASES[0]!.nextPath(count)}`)).arrayBuffer();
}

export interface CaseResult extends LoadResult {
  /**
   * timed: warm-up, then the configured connections for the configured time. sequential: for a case
   * whose single request takes so long that the connections could not each be served twice in the
   * time (a full scan per request), one connection and a number of requests that fills about that
   * time, each answered: throughput of a single-threaded scan does not grow with connections, and
   * requests abandoned at the end of a timed run would keep the server busy for minutes.
   */
  mode: 'timed' | 'sequential';
  connections: number;
}

async function measureCase(
  target: RunningTarget,
  name: TargetName,
  benchCase: BenchCase,
  options: Settings,
): Promise<CaseResult> {
  const firstMs = await pilot(target, name, benchCase, options.patients);
  const nextPath = () => benchCase.nextPath(options.patients);
  if (firstMs * options.connections * 2 > options.seconds * 1000) {
    const requests = Math.min(1000, Math.max(3, Math.ceil((options.seconds * 1000) / firstMs)));
    const result = await measure({ base: target.url, nextPath, connections: 1, limit: { requests } });
    return { ...result, mode: 'sequential', connections: 1 };
  }
  const timed = async (seconds: number) => {
    const result = await measure({
      base: target.url,
      nextPath,
      connections: options.connections,
      limit: { seconds },
    });
    await drain(target, options.patients);
    return result;
  };
  await timed(options.warmupSeconds);
  return { ...(await timed(options.seconds)), mode: 'timed', connections: options.connections };
}

async function benchTarget(name: TargetName, options: Settings): Promise<TargetReport> {
  log(`${name}: starting and loading ${options.patients.toLocaleString('en')} Patients...`);
  const target = await launch(name, options);
  try {
    const { figures } = target;
    log(`${name}: loaded in ${(figures.loadMs / 1000).toFixed(1)} s, RSS ${figures.rssLoadedMb} MB`);
    const cases: Record<string, CaseResult> = {};
    for (const benchCase of CASES) {
      const result = await measureCase(target, name, benchCase, options);
      log(
        `${name}: ${benchCase.name}: ${result.requestsPerSecond} req/s, p99 ${result.latencyMs.p99} ms` +
          (result.mode === 'sequential' ? ` (sequential, ${result.requests} requests)` : ''),
      );
      cases[benchCase.name] = result;
    }
    return { figures, cases };
  } finally {
    await target.close();
  }
}

function log(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

function ratio(ours: number | undefined, theirs: number | undefined): number | undefined {
  return ours === undefined || theirs === undefined || theirs === 0
    ? undefined
    : Math.round((ours / theirs) * 10) / 10;
}

function show(value: number | undefined, suffix = ''): string {
  return value === undefined ? '-' : `${value.toLocaleString('en')}${suffix}`;
}

interface AdjudicationResult extends LoadResult {
  insurees: number;
  lines: number;
  loadMs: number;
}

/** Claims of ten lines for random insurees, POSTed for the configured time after a checked pilot. */
async function benchAdjudication(options: Settings): Promise<AdjudicationResult> {
  log(`adjudication: starting our server with ${options.claimInsurees.toLocaleString('en')} insurees...`);
  const target = await launch('openimis', options, options.claimInsurees);
  try {
    const nextBody = () => claimBody(randomIndex(options.claimInsurees));
    const pilotAnswer = await fetch(`${target.url}/Claim`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: nextBody(),
    });
    const problem =
      pilotAnswer.status === 201 ? checkAdjudication(await pilotAnswer.json()) : `HTTP ${pilotAnswer.status}`;
    if (problem) throw new Error(`our server answers a claim wrongly: ${problem}`);
    const run = (seconds: number) =>
      measure({
        base: target.url,
        nextPath: () => 'Claim',
        nextBody,
        connections: options.connections,
        limit: { seconds },
      });
    await run(options.warmupSeconds);
    const result = await run(options.seconds);
    log(`adjudication: ${result.requestsPerSecond} claims/s, p99 ${result.latencyMs.p99} ms`);
    return { ...result, insurees: options.claimInsurees, lines: CLAIM_LINES, loadMs: target.figures.loadMs };
  } finally {
    await target.close();
  }
}

interface EnrollmentResult extends LoadResult {
  members: number;
}

/** Family transactions, each under fresh codes, POSTed for the configured time after a checked pilot. */
async function benchEnrollment(options: Settings): Promise<EnrollmentResult> {
  log('enrollment: starting our server (seeded, strict validation)...');
  const target = await launch('enrollment', options, 0);
  try {
    const pilotAnswer = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: familyBody(),
    });
    const problem =
      pilotAnswer.status === 200 ? checkEnrollment(await pilotAnswer.json()) : `HTTP ${pilotAnswer.status}`;
    if (problem) throw new Error(`our server answers a family transaction wrongly: ${problem}`);
    const run = (seconds: number) =>
      measure({
        base: target.url,
        nextPath: () => '',
        nextBody: familyBody,
        connections: options.connections,
        limit: { seconds },
      });
    await run(options.warmupSeconds);
    const result = await run(options.seconds);
    log(`enrollment: ${result.requestsPerSecond} families/s, p99 ${result.latencyMs.p99} ms`);
    return { ...result, members: FAMILY_MEMBERS };
  } finally {
    await target.close();
  }
}

const verdict = (met: boolean, text: string) => console.log(`${met ? 'met ' : 'MISS'}  ${text}`);

const failures = (result: LoadResult) =>
  result.non2xx + result.errors > 0 ? ` (! ${result.non2xx} non-2xx, ${result.errors} errors)` : '';

async function benchSync(options: Settings): Promise<SyncBenchResult> {
  log(`sync: loading a registry of ${options.syncFacilities.toLocaleString('en')} facilities...`);
  const registry = await launch('registry', options, options.syncFacilities);
  const target = await launch('sync-target', options, 0);
  try {
    const result = await measureSync(registry.url, target.url, options.syncFacilities);
    log(
      `sync: ${result.facilitiesPerSecond} facilities/s (${result.resources} resources in ${result.firstMs} ms)`,
    );
    return result;
  } finally {
    await Promise.all([registry.close(), target.close()]);
  }
}

async function benchNotifications(options: Settings): Promise<NotificationBenchResult> {
  log('notifications: writes at 100/s, a rest-hook subscription...');
  const target = await launch('notifying', options, 0);
  try {
    return await measureNotifications(target.url, 100, options.seconds, options.warmupSeconds);
  } finally {
    await target.close();
  }
}

interface LoadBenchResult {
  strict: { patients: number; perSecond: number; loadMs: number };
  journal: { patients: number; writePerSecond: number; replayMs: number; replayPerSecond: number };
}

const perSecond = (count: number, ms: number) => (ms > 0 ? Math.round(count / (ms / 1000)) : 0);

/** Strict validation on load, and a journal's replay. */
async function benchLoad(options: Settings): Promise<LoadBenchResult> {
  log(`load: ${options.strictPatients.toLocaleString('en')} insurees, strict validation...`);
  const strict = await launch('strict-load', options, options.strictPatients);
  await strict.close();
  const strictLoad = strict.figures.loadMs;
  log(`load: strict ${perSecond(options.strictPatients, strictLoad)} Patients/s`);
  log(`load: ${options.patients.toLocaleString('en')} Patients into a journal...`);
  const written = await launch('journal-write', options);
  await written.close();
  const replayed = await launch('journal-replay', options);
  await replayed.close();
  const replayMs = replayed.figures.startMs;
  log(`load: replayed in ${(replayMs / 1000).toFixed(1)} s`);
  return {
    strict: {
      patients: options.strictPatients,
      perSecond: perSecond(options.strictPatients, strictLoad),
      loadMs: strictLoad,
    },
    journal: {
      patients: options.patients,
      writePerSecond: perSecond(options.patients, written.figures.loadMs),
      replayMs,
      replayPerSecond: perSecond(options.patients, replayMs),
    },
  };
}

export async function runServerBench(): Promise<void> {
  const options = settings();
  const load = options.parts.includes('load') ? await benchLoad(options) : undefined;
  const adjudication = options.parts.includes('adjudication') ? await benchAdjudication(options) : undefined;
  const enrollment = options.parts.includes('enrollment') ? await benchEnrollment(options) : undefined;
  const sync = options.parts.includes('sync') ? await benchSync(options) : undefined;
  const notifications = options.parts.includes('notifications')
    ? await benchNotifications(options)
    : undefined;
  if (load) {
    console.log(
      `\nLoad: ${load.strict.patients.toLocaleString('en')} insurees under strict validation: ` +
        `${load.strict.perSecond.toLocaleString('en')}/s; ${load.journal.patients.toLocaleString('en')} Patients ` +
        `into a journal: ${load.journal.writePerSecond.toLocaleString('en')}/s, replayed in ` +
        `${(load.journal.replayMs / 1000).toFixed(1)} s (${load.journal.replayPerSecond.toLocaleString('en')}/s)`,
    );
    verdict(load.strict.perSecond >= 5_000, 'load: strict validation at least 5,000 Patients/s');
    verdict(load.journal.replayPerSecond >= 16_667, 'load: a journal replays at least 16,667 Patients/s');
  }
  if (adjudication) {
    console.log(
      `\nAdjudication: POST Claim (${adjudication.lines} lines), ${options.connections} connections, ` +
        `${adjudication.insurees.toLocaleString('en')} insurees: ${adjudication.requestsPerSecond} claims/s, ` +
        `p50 ${adjudication.latencyMs.p50} ms, p99 ${adjudication.latencyMs.p99} ms` +
        failures(adjudication),
    );
    verdict(adjudication.requestsPerSecond >= 500, 'adjudication: at least 500 claims/s');
    verdict(adjudication.latencyMs.p99 < 50, 'adjudication: p99 under 50 ms');
  }
  if (enrollment) {
    console.log(
      `\nEnrollment: POST transaction (a family of ${enrollment.members} and its Group), ${options.connections} connections: ` +
        `${enrollment.requestsPerSecond} families/s, p50 ${enrollment.latencyMs.p50} ms, p99 ${enrollment.latencyMs.p99} ms` +
        failures(enrollment),
    );
    verdict(enrollment.requestsPerSecond >= 300, 'enrollment: at least 300 families/s');
  }
  if (sync) {
    console.log(
      `\nSync: ${sync.facilities.toLocaleString('en')} facilities (${sync.resources.toLocaleString('en')} resources) between two bundled servers: ` +
        `${sync.facilitiesPerSecond} facilities/s (${sync.firstMs} ms); a second sync with nothing changed: ${sync.secondMs} ms, ` +
        `${sync.second.created + sync.second.updated} written`,
    );
    verdict(sync.facilitiesPerSecond >= 1_000, 'sync: at least 1,000 facilities/s');
    verdict(sync.second.created + sync.second.updated === 0, 'sync: a second run writes nothing');
  }
  if (notifications) {
    console.log(
      `\nNotifications: ${notifications.writesPerSecond} writes/s for ${options.seconds} s, ${notifications.delivered} of ${notifications.writes} delivered: ` +
        `p50 ${notifications.p50Ms} ms, p99 ${notifications.p99Ms} ms, max ${notifications.maxMs} ms (write sent to notification received)`,
    );
    verdict(notifications.delivered === notifications.writes, 'notifications: every write notified');
    verdict(notifications.p99Ms < 100, 'notifications: p99 under 100 ms');
  }
  if (!options.parts.includes('compare')) {
    const file = writeReport('server', {
      date: new Date().toISOString(),
      machine: machine(),
      settings: options,
      load,
      adjudication,
      enrollment,
      sync,
      notifications,
    });
    console.log(`\nreport: ${file}`);
    return;
  }
  console.log(
    `\nServer bench: ${options.patients.toLocaleString('en')} Patients, ${options.seconds} s per case after ` +
      `${options.warmupSeconds} s warm-up, ${options.connections} connections, servers ` +
      `${options.inProcess ? 'in the load client process' : 'in a process each'}`,
  );
  const results: Partial<Record<TargetName, TargetReport>> = {};
  for (const name of options.targets) results[name] = await benchTarget(name, options);
  const { ours, medplum } = results;

  const rows = CASES.map(({ name }) => {
    const a = ours?.cases[name];
    const b = medplum?.cases[name];
    return {
      case: name,
      ours: a,
      medplum: b,
      throughputRatio: ratio(a?.requestsPerSecond, b?.requestsPerSecond),
    };
  });
  const [read, identifier, gender] = rows;
  const ourFigures = results.ours?.figures;
  const loadRate = ourFigures ? perSecond(options.patients, ourFigures.loadMs) : undefined;
  const bytesPerPatient = ourFigures
    ? Math.round(((ourFigures.rssLoadedMb - ourFigures.rssEmptyMb) * 1024 * 1024) / options.patients)
    : undefined;
  // undefined: not measured in this run (BENCH_TARGETS left a server out).
  const atLeast = (value: number | undefined, floor: number) =>
    value === undefined ? undefined : value >= floor;
  const targets = [
    { target: 'read: at least 3x medplum throughput', met: atLeast(read?.throughputRatio, 3) },
    { target: 'token search: at least 2x medplum throughput', met: atLeast(identifier?.throughputRatio, 2) },
    {
      target: 'token search: p99 under 20 ms',
      met: identifier?.ours === undefined ? undefined : identifier.ours.latencyMs.p99 < 20,
    },
    {
      target: 'gender=female&_count=10: p99 under 30 ms',
      met: gender?.ours === undefined ? undefined : gender.ours.latencyMs.p99 < 30,
    },
    {
      target: `load (lenient, 2 validation threads): at least 40,000 Patients/s (${show(loadRate)})`,
      met: loadRate === undefined ? undefined : loadRate >= 40_000,
    },
    {
      target: `memory: at most 3 KB of RSS per loaded Patient (${show(bytesPerPatient)} bytes)`,
      met: bytesPerPatient === undefined ? undefined : bytesPerPatient <= 3 * 1024,
    },
  ];

  console.log(
    `\n${formatTable(
      ['case', 'ours req/s', 'p50 ms', 'p99 ms', 'medplum req/s', 'p50 ms', 'p99 ms', 'ours/medplum'],
      rows.map((row) => [
        row.case,
        show(row.ours?.requestsPerSecond) + (row.ours?.mode === 'sequential' ? '*' : ''),
        show(row.ours?.latencyMs.p50),
        show(row.ours?.latencyMs.p99),
        show(row.medplum?.requestsPerSecond) + (row.medplum?.mode === 'sequential' ? '*' : ''),
        show(row.medplum?.latencyMs.p50),
        show(row.medplum?.latencyMs.p99),
        show(row.throughputRatio, 'x'),
      ]),
    )}`,
  );
  const suspect = rows.flatMap((row) =>
    (['ours', 'medplum'] as const).flatMap((name) => {
      const result = row[name];
      return result && result.non2xx + result.errors > 0
        ? [`${name} ${row.case}: ${result.non2xx} non-2xx, ${result.errors} errors`]
        : [];
    }),
  );
  if (rows.some((row) => row.ours?.mode === 'sequential' || row.medplum?.mode === 'sequential')) {
    console.log('* sequential: one connection, each request answered (seconds per request: a full scan)');
  }
  for (const line of suspect) console.log(`! ${line}`);

  console.log(
    `\n${formatTable(
      ['loading', 'start ms', 'load s', 'Patients/s', 'RSS empty MB', 'RSS loaded MB', 'heap MB'],
      options.targets.map((name) => {
        const f = results[name]!.figures;
        return [
          name,
          show(f.startMs),
          (f.loadMs / 1000).toFixed(1),
          show(Math.round(options.patients / (f.loadMs / 1000))),
          show(f.rssEmptyMb),
          show(f.rssLoadedMb),
          show(f.heapLoadedMb),
        ];
      }),
    )}`,
  );
  if (options.inProcess)
    console.log('(in process: memory figures include the load client and earlier servers)');

  console.log('');
  for (const { target, met } of targets)
    console.log(`${met === undefined ? 'n/a ' : met ? 'met ' : 'MISS'}  ${target}`);

  const file = writeReport('server', {
    date: new Date().toISOString(),
    machine: machine(),
    settings: options,
    peer: '@medplum/fhir-router 4.5.2, MemoryRepository, express',
    ...(load ? { load } : {}),
    loading: Object.fromEntries(options.targets.map((name) => [name, results[name]!.figures])),
    cases: rows,
    targets,
    suspect,
    ...(adjudication ? { adjudication } : {}),
    ...(enrollment ? { enrollment } : {}),
    ...(sync ? { sync } : {}),
    ...(notifications ? { notifications } : {}),
  });
  console.log(`\nreport: ${file}`);
}
