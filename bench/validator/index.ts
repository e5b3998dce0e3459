/**
 * The validator bench: our validator against @medplum/core `validateResource`, FHIR.js and ajv with the
 * official R4 JSON schema, on the same inputs (variations of the IG's Patient and Claim examples), in
 * one run. Each validator runs in a process of its own (throughput-process.ts).
 *
 * Parts (BENCH_PARTS, default all of throughput,cold,ndjson):
 * - throughput: resources per second per validator and case (base type, openIMIS profile), our ratio to
 *   each peer, and each validator process's peak RSS;
 * - cold: process start to the first validation result, median of several `node -e` runs;
 * - ndjson: `openimis-fhir validate` on a generated NDJSON file with 1 and 2 workers;
 * - bundle: the same command on one Bundle of BENCH_BUNDLE_RESOURCES (100000) resources and on the
 *   same resources as NDJSON (bundle.ts).
 *
 * Settings (environment): BENCH_RESOURCES per type (10000), BENCH_MIN_SECONDS per case (3),
 * BENCH_VALIDATORS (ours,ours-text,medplum,fhir,ajv), BENCH_COLD_RUNS (5), BENCH_NDJSON_RESOURCES
 * (1000000), BENCH_NDJSON_WORKERS (1,2), BENCH_KEEP_NDJSON=1 to keep (and reuse) the generated file,
 * BENCH_CPU_PROF=1 to write CPU profiles of our throughput process and validate runs to reports/cpu-prof/.
 *
 * Targets: profile validation at least 30x @medplum/core's throughput on the same inputs; cold
 * start under 600 ms; NDJSON peak memory under 300 MB at 1,000,000 resources; 2 workers at least 1.7x one.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { envFlag, envNumber, formatTable, machine, writeReport } from '../common.js';
import { coldStartOfPeer, type ColdStartCase, type ColdStartResult } from './cold-start.js';
import { CLAIM_PROFILE, claimTemplate, claimVariant } from './inputs.js';
import { measureBundle, type BundleReport } from './bundle.js';
import { ensureNdjson, runValidateCommand, type NdjsonRun } from './ndjson.js';
import { PEER_NAMES, PEERS, type PeerName } from './peers.js';
import { CASES, measureInChild, type CaseName, type ThroughputReport } from './throughput-process.js';

const PARTS = ['throughput', 'cold', 'ndjson', 'bundle'] as const;
type Part = (typeof PARTS)[number];

const TARGETS = {
  profileRatioVsMedplum: 30,
  coldStartMs: 600,
  ndjsonPeakRssMb: 300,
  ndjsonResources: 1_000_000,
  twoWorkerSpeedup: 1.7,
  bundleTimeRatio: 2,
  bundleRssOverFile: 4,
  bundleResources: 100_000,
};

interface Settings {
  resources: number;
  minSeconds: number;
  validators: PeerName[];
  coldRuns: number;
  ndjsonResources: number;
  ndjsonWorkers: number[];
  bundleResources: number;
  keepNdjson: boolean;
  cpuProfile: boolean;
  parts: Part[];
}

function list(name: string, fallback: readonly string[]): string[] {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === '' ? [...fallback] : raw.split(',').map((item) => item.trim());
}

function settings(): Settings {
  const validators = list('BENCH_VALIDATORS', PEER_NAMES);
  for (const name of validators) {
    if (!PEER_NAMES.includes(name as PeerName)) throw new RangeError(`BENCH_VALIDATORS: unknown ${name}`);
  }
  const parts = list('BENCH_PARTS', PARTS);
  for (const part of parts) {
    if (!PARTS.includes(part as Part)) throw new RangeError(`BENCH_PARTS: unknown ${part}`);
  }
  const ndjsonWorkers = list('BENCH_NDJSON_WORKERS', ['1', '2']).map(Number);
  if (ndjsonWorkers.some((n) => !Number.isInteger(n) || n < 1))
    throw new RangeError('BENCH_NDJSON_WORKERS: expected positive integers');
  return {
    resources: Math.floor(envNumber('BENCH_RESOURCES', 10_000)),
    minSeconds: envNumber('BENCH_MIN_SECONDS', 3),
    validators: validators as PeerName[],
    coldRuns: Math.floor(envNumber('BENCH_COLD_RUNS', 5)),
    ndjsonResources: Math.floor(envNumber('BENCH_NDJSON_RESOURCES', 1_000_000)),
    ndjsonWorkers,
    bundleResources: Math.floor(envNumber('BENCH_BUNDLE_RESOURCES', 100_000)),
    keepNdjson: envFlag('BENCH_KEEP_NDJSON'),
    cpuProfile: envFlag('BENCH_CPU_PROF'),
    parts: parts as Part[],
  };
}

const PROFILE_DIR = join(PROJECT_ROOT, 'reports', 'cpu-prof');

function cpuProfileArgs(enabled: boolean, name: string): string[] {
  return enabled ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

function format(n: number): string {
  return n.toLocaleString('en-US');
}

// ---------------------------------------------------------------- throughput

type Throughput = Partial<Record<PeerName, ThroughputReport>>;

function rateOf(report: ThroughputReport | undefined, caseName: CaseName): number | undefined {
  const result = report?.cases[caseName];
  return result?.supported ? result.resourcesPerSecond : undefined;
}

/** The resources (of the first timed pass) a validator found errors in; 0 when it did not run the case. */
function errorsOf(report: ThroughputReport | undefined, caseName: CaseName): number {
  const result = report?.cases[caseName];
  return result?.supported ? result.resourcesWithErrors : 0;
}

async function measureThroughput(options: Settings): Promise<Throughput> {
  const reports: Throughput = {};
  for (const name of options.validators) {
    console.log(`  ${name}: ${PEERS[name].version}`);
    const profiled = options.cpuProfile && name.startsWith('ours');
    reports[name] = await measureInChild(
      name,
      options.resources,
      options.minSeconds,
      cpuProfileArgs(profiled, `validator-${name}`),
    );
  }
  return reports;
}

function throughputTable(reports: Throughput): string {
  const rows: string[][] = [];
  for (const { name: caseName } of CASES) {
    const ours = rateOf(reports.ours, caseName);
    for (const [peer, report] of Object.entries(reports) as [PeerName, ThroughputReport][]) {
      const result = report.cases[caseName];
      if (!result) continue;
      if (!result.supported) {
        rows.push([caseName, peer, 'not supported by the peer', '', '']);
        continue;
      }
      const ratio =
        ours !== undefined && !peer.startsWith('ours')
          ? `${(ours / result.resourcesPerSecond).toFixed(1)}x`
          : '';
      rows.push([
        caseName,
        peer,
        format(result.resourcesPerSecond),
        `${format(result.resourcesWithErrors)}`,
        ratio,
      ]);
    }
  }
  return formatTable(['case', 'validator', 'resources/s', 'with errors', 'ours ÷ peer'], rows);
}

function memoryTable(reports: Throughput): string {
  return formatTable(
    ['validator', 'load ms', 'RSS with inputs MB', 'peak RSS MB'],
    Object.values(reports).map((r) => [r.peer, format(r.loadMs), String(r.inputsRssMb), String(r.peakRssMb)]),
  );
}

function unsupportedNotes(reports: Throughput): string[] {
  const notes: string[] = [];
  for (const report of Object.values(reports)) {
    for (const [caseName, result] of Object.entries(report.cases)) {
      if (result && !result.supported) notes.push(`${report.peer}, ${caseName}: ${result.reason}`);
      else if (result?.supported && result.firstError)
        notes.push(`${report.peer}, ${caseName}: reports errors on valid input, e.g. "${result.firstError}"`);
    }
  }
  return notes;
}

// ---------------------------------------------------------------- cold start

function coldStartCases(validators: PeerName[]): ColdStartCase[] {
  const cases: ColdStartCase[] = [
    { name: 'ours, openimis-claim profile', peer: 'ours', profile: CLAIM_PROFILE },
    { name: 'ours, base Claim', peer: 'ours', profile: undefined },
    { name: 'medplum, openimis-claim profile', peer: 'medplum', profile: CLAIM_PROFILE },
    { name: 'fhir, base Claim', peer: 'fhir', profile: undefined },
    { name: 'ajv, base Claim', peer: 'ajv', profile: undefined },
  ];
  return cases.filter((c) => validators.includes(c.peer));
}

async function measureColdStarts(options: Settings, scratch: string): Promise<ColdStartResult[]> {
  const resourceFile = join(scratch, 'claim.json');
  writeFileSync(resourceFile, JSON.stringify(claimVariant(claimTemplate(), 0)));
  const results: ColdStartResult[] = [];
  for (const benchCase of coldStartCases(options.validators)) {
    results.push(await coldStartOfPeer(benchCase, resourceFile, options.coldRuns));
  }
  return results;
}

function coldStartTable(results: ColdStartResult[]): string {
  return formatTable(
    ['cold start', 'median ms', 'min ms', 'max ms', 'runs'],
    results.map((r) => [r.name, format(r.medianMs), format(r.minMs), format(r.maxMs), String(r.runs)]),
  );
}

// ---------------------------------------------------------------- NDJSON

interface NdjsonReport {
  resources: number;
  fileMb?: number;
  generatedMs?: number;
  runs: NdjsonRun[];
}

async function measureNdjson(options: Settings, scratch: string): Promise<NdjsonReport> {
  // Kept between runs only when asked: the file is a few GB.
  const folder = options.keepNdjson ? join(os.tmpdir(), 'openimis-fhir-bench-validator') : scratch;
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `resources-${options.ndjsonResources}.ndjson`);
  const generated = await ensureNdjson(file, options.ndjsonResources);
  console.log(
    `  ${file}: ${format(generated.megabytes)} MB, ${generated.reused ? 'reused' : `generated in ${format(generated.generatedMs)} ms`}`,
  );
  const runs: NdjsonRun[] = [];
  for (const workers of options.ndjsonWorkers) {
    const run = await runValidateCommand(
      file,
      options.ndjsonResources,
      workers,
      scratch,
      cpuProfileArgs(options.cpuProfile, `validate-workers-${workers}`),
    );
    console.log(`  --workers ${workers}: exit ${run.exitCode}, ${run.seconds} s`);
    runs.push(run);
  }
  return {
    resources: options.ndjsonResources,
    fileMb: generated.megabytes,
    generatedMs: generated.generatedMs,
    runs,
  };
}

function ndjsonTable(report: NdjsonReport): string {
  const single = report.runs.find((r) => r.workers === 1)?.resourcesPerSecond;
  return formatTable(
    ['workers', 'seconds', 'resources/s', 'peak RSS MB', 'RSS over the run MB', 'vs 1 worker', 'exit'],
    report.runs.map((r) => [
      String(r.workers),
      r.seconds.toFixed(1),
      format(r.resourcesPerSecond),
      r.peakRssMb === undefined ? '?' : String(r.peakRssMb),
      r.rssTimelineMb.join(' '),
      single ? `${(r.resourcesPerSecond / single).toFixed(2)}x` : '',
      String(r.exitCode),
    ]),
  );
}

function bundleTable(report: BundleReport): string {
  const row = (name: string, run: NdjsonRun, mb: number) => [
    name,
    `${format(mb)} MB`,
    run.seconds.toFixed(1),
    format(run.resourcesPerSecond),
    run.peakRssMb === undefined ? '?' : String(run.peakRssMb),
    String(run.exitCode),
  ];
  return formatTable(
    ['input', 'file', 'seconds', 'resources/s', 'peak RSS MB', 'exit'],
    [
      row('one resource', report.baseline, 0),
      row('NDJSON', report.ndjson, report.ndjsonMb),
      row('one Bundle', report.bundle, report.bundleMb),
    ],
  );
}

function bundleVerdicts(report: BundleReport | undefined): TargetVerdict[] {
  const atScale = (report?.resources ?? 0) >= TARGETS.bundleResources;
  const measured = (ok: boolean) => (report && atScale ? ok : 'not measured');
  return [
    {
      target: `one Bundle: time per resource <= ${TARGETS.bundleTimeRatio}x NDJSON at ${format(TARGETS.bundleResources)}`,
      value: report ? `${report.timeRatio}x at ${format(report.resources)}` : '',
      met: measured((report?.timeRatio ?? Infinity) <= TARGETS.bundleTimeRatio),
    },
    {
      target: `one Bundle: peak RSS < ${TARGETS.bundleRssOverFile}x the file`,
      value:
        report?.rssOverFile === undefined
          ? ''
          : `${report.rssOverFile}x (${report.rssGrowthOverFile}x above the one-resource run)`,
      met: measured((report?.rssOverFile ?? Infinity) < TARGETS.bundleRssOverFile),
    },
  ];
}

// ---------------------------------------------------------------- targets

interface TargetVerdict {
  target: string;
  value: string;
  met: boolean | 'not measured';
}

function targetVerdicts(
  throughput: Throughput,
  coldStarts: ColdStartResult[],
  ndjson: NdjsonReport | undefined,
  cpus: number,
): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const profileCases = CASES.filter((c) => c.profile !== undefined);
  const comparable = profileCases
    .map((c) => ({
      name: c.name,
      ours: rateOf(throughput.ours, c.name),
      medplum: rateOf(throughput.medplum, c.name),
      medplumErrors: errorsOf(throughput.medplum, c.name),
    }))
    .filter((c) => c.ours !== undefined && c.medplum !== undefined);
  for (const c of comparable) {
    const ratio = c.ours! / c.medplum!;
    verdicts.push({
      target: `${c.name}: >= ${TARGETS.profileRatioVsMedplum}x @medplum/core`,
      // A peer that rejects valid input is timed on its error path: said beside the ratio.
      value: `${ratio.toFixed(1)}x${c.medplumErrors ? ' (peer: errors on valid input)' : ''}`,
      met: ratio >= TARGETS.profileRatioVsMedplum,
    });
  }
  if (comparable.length === 0)
    verdicts.push({
      target: `profile validation >= ${TARGETS.profileRatioVsMedplum}x @medplum/core`,
      value: '',
      met: 'not measured',
    });
  const oursCold = coldStarts.filter((r) => r.name.startsWith('ours'));
  const worstCold = Math.max(...oursCold.map((r) => r.medianMs));
  verdicts.push({
    target: `cold start < ${TARGETS.coldStartMs} ms (ours, median, worst case)`,
    value: oursCold.length > 0 ? `${worstCold} ms` : '',
    met: oursCold.length > 0 ? worstCold < TARGETS.coldStartMs : 'not measured',
  });
  const runs = ndjson?.runs.filter((r) => r.exitCode === 0 || r.exitCode === 1) ?? [];
  const peaks = runs.map((r) => r.peakRssMb).filter((mb): mb is number => mb !== undefined);
  const atScale = (ndjson?.resources ?? 0) >= TARGETS.ndjsonResources;
  verdicts.push({
    target: `NDJSON peak RSS < ${TARGETS.ndjsonPeakRssMb} MB at ${format(TARGETS.ndjsonResources)} resources`,
    value: peaks.length > 0 ? `${Math.max(...peaks)} MB at ${format(ndjson?.resources ?? 0)}` : '',
    met: peaks.length > 0 && atScale ? Math.max(...peaks) < TARGETS.ndjsonPeakRssMb : 'not measured',
  });
  const one = runs.find((r) => r.workers === 1)?.resourcesPerSecond;
  const two = runs.find((r) => r.workers === 2)?.resourcesPerSecond;
  verdicts.push({
    target: `2 workers >= ${TARGETS.twoWorkerSpeedup}x 1 worker (on ${cpus} cores)`,
    value: one && two ? `${(two / one).toFixed(2)}x at ${format(ndjson?.resources ?? 0)}` : '',
    // Like the memory target, judged on the large file only: on a small one, starting workers dominates.
    met: one && two && cpus >= 2 && atScale ? two / one >= TARGETS.twoWorkerSpeedup : 'not measured',
  });
  return verdicts;
}

function targetsTable(verdicts: TargetVerdict[]): string {
  return formatTable(
    ['target', 'value', 'verdict'],
    verdicts.map((v) => [v.target, v.value, v.met === true ? 'met' : v.met === false ? 'MISSED' : v.met]),
  );
}

// ---------------------------------------------------------------- the suite

function roundedLoad(): number[] {
  return os.loadavg().map((load) => Math.round(load * 100) / 100);
}

export async function runValidatorBench(): Promise<void> {
  const options = settings();
  const host = machine();
  const loadAtStart = roundedLoad();
  const scratch = join(os.tmpdir(), `openimis-fhir-bench-validator-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  if (options.cpuProfile) mkdirSync(PROFILE_DIR, { recursive: true });
  try {
    console.log(
      `validator bench: ${format(options.resources)} Patients and ${format(options.resources)} Claims, ` +
        `>= ${options.minSeconds} s per case; ${host.cpus} cores (${host.cpuModel}), Node ${host.node}`,
    );
    let throughput: Throughput = {};
    if (options.parts.includes('throughput')) {
      throughput = await measureThroughput(options);
      console.log(`\n${throughputTable(throughput)}\n`);
      for (const note of unsupportedNotes(throughput)) console.log(`  note: ${note}`);
      console.log(`\n${memoryTable(throughput)}\n`);
    }
    let coldStarts: ColdStartResult[] = [];
    if (options.parts.includes('cold')) {
      coldStarts = await measureColdStarts(options, scratch);
      console.log(`${coldStartTable(coldStarts)}\n`);
    }
    let ndjson: NdjsonReport | undefined;
    if (options.parts.includes('ndjson')) {
      console.log(`NDJSON: ${format(options.ndjsonResources)} resources, openimis-fhir validate --workers N`);
      ndjson = await measureNdjson(options, scratch);
      if (ndjson.runs.length > 0) console.log(`\n${ndjsonTable(ndjson)}\n`);
    }
    let bundle: BundleReport | undefined;
    if (options.parts.includes('bundle')) {
      const workers = Math.max(...options.ndjsonWorkers);
      console.log(
        `Bundle: ${format(options.bundleResources)} resources as one Bundle and as NDJSON, --workers ${workers}`,
      );
      const folder = options.keepNdjson ? join(os.tmpdir(), 'openimis-fhir-bench-validator') : scratch;
      mkdirSync(folder, { recursive: true });
      bundle = await measureBundle(folder, options.bundleResources, workers, scratch);
      console.log(`\n${bundleTable(bundle)}\n`);
    }
    const loadAverage = { atStart: loadAtStart, atEnd: roundedLoad() };
    console.log(
      `load average (1 min) at start ${loadAverage.atStart[0]}, at end ${loadAverage.atEnd[0]}: ` +
        `other work on the machine lowers every figure here, worker scaling most`,
    );
    const verdicts = [
      ...targetVerdicts(throughput, coldStarts, ndjson, host.cpus),
      ...bundleVerdicts(bundle),
    ];
    console.log(targetsTable(verdicts));
    const file = writeReport('validator', {
      machine: host,
      loadAverage,
      settings: options,
      versions: Object.fromEntries(options.validators.map((name) => [name, PEERS[name].version])),
      throughput,
      coldStarts,
      ndjson,
      bundle,
      targets: verdicts,
    });
    console.log(`\nreport: ${file}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
