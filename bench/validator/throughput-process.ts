/**
 * One validator's throughput, in a process of its own so that its memory, its JIT and its
 * process-wide caches are its own: `node throughput-process.js <peer> <count> <minSeconds>`, forked with
 * an IPC channel. It builds the inputs, loads the validator, runs every case and answers one
 * `ThroughputReport` (or `{error}`).
 *
 * A case: warm-up on the first 1,000 resources, then whole passes over the resources until at least
 * minSeconds have passed; the first timed pass also counts the resources each validator found errors in,
 * so that a fast validator that rejects valid input (or accepts nothing) shows.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MB } from '../common.js';
import { benchInputs, CLAIM_PROFILE, CLAIM_PROFILE_COMPARABLE, PATIENT_PROFILE } from './inputs.js';
import { PEER_NAMES, PEERS, type LoadedPeer, type PeerName } from './peers.js';

export const CASES = [
  { name: 'base Patient', type: 'patients', profile: undefined },
  { name: 'base Claim', type: 'claims', profile: undefined },
  { name: 'profile openimis-patient', type: 'patients', profile: PATIENT_PROFILE },
  { name: 'profile openimis-claim', type: 'claims', profile: CLAIM_PROFILE },
  { name: 'profile openimis-claim without oi-claim-1', type: 'claims', profile: CLAIM_PROFILE_COMPARABLE },
] as const;

export type CaseName = (typeof CASES)[number]['name'];

export type CaseResult =
  | { supported: false; reason: string }
  | {
      supported: true;
      resourcesPerSecond: number;
      validated: number;
      seconds: number;
      /** Resources (of the first timed pass) in which the validator reported at least one error. */
      resourcesWithErrors: number;
      firstError?: string;
    };

export interface ThroughputReport {
  peer: PeerName;
  version: string;
  loadMs: number;
  /** RSS once the inputs exist, before the validator is loaded: the same for every validator. */
  inputsRssMb: number;
  /** The process's peak RSS (getrusage maxrss), inputs included. */
  peakRssMb: number;
  cases: Partial<Record<CaseName, CaseResult>>;
}

const WARMUP = 1000;

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function runCase(
  peer: LoadedPeer,
  inputs: readonly unknown[],
  profile: string | undefined,
  minSeconds: number,
): CaseResult {
  const unsupported = profile ? peer.profileUnsupported(profile) : undefined;
  if (unsupported) return { supported: false, reason: unsupported };
  for (let i = 0; i < Math.min(WARMUP, inputs.length); i++) peer.validate(inputs[i], profile);
  collectGarbage();
  let resourcesWithErrors = 0;
  let firstError: string | undefined;
  let validated = 0;
  const started = performance.now();
  let elapsed = 0;
  for (let pass = 0; pass === 0 || elapsed < minSeconds * 1000; pass++) {
    for (const input of inputs) {
      const verdict = peer.validate(input, profile);
      if (pass === 0 && verdict.errors > 0) {
        resourcesWithErrors++;
        firstError ??= verdict.firstError;
      }
    }
    validated += inputs.length;
    elapsed = performance.now() - started;
  }
  return {
    supported: true,
    resourcesPerSecond: Math.round(validated / (elapsed / 1000)),
    validated,
    seconds: Math.round(elapsed) / 1000,
    resourcesWithErrors,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

async function measurePeer(name: PeerName, count: number, minSeconds: number): Promise<ThroughputReport> {
  const objects = benchInputs(count);
  const description = PEERS[name];
  collectGarbage();
  const inputsRssMb = Math.round(process.memoryUsage().rss / MB);
  const loading = performance.now();
  const peer = await description.load();
  const loadMs = Math.round(performance.now() - loading);
  const inputs = {
    patients: peer.input === 'text' ? objects.patients.map((r) => JSON.stringify(r)) : objects.patients,
    claims: peer.input === 'text' ? objects.claims.map((r) => JSON.stringify(r)) : objects.claims,
  };
  const cases: ThroughputReport['cases'] = {};
  for (const benchCase of CASES) {
    cases[benchCase.name] = runCase(peer, inputs[benchCase.type], benchCase.profile, minSeconds);
  }
  return {
    peer: name,
    version: description.version,
    loadMs,
    inputsRssMb,
    peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
    cases,
  };
}

type Answer = ThroughputReport | { error: string };

/** Runs one validator's cases in a forked process; execArgv adds e.g. --cpu-prof. */
export function measureInChild(
  name: PeerName,
  count: number,
  minSeconds: number,
  execArgv: string[] = [],
): Promise<ThroughputReport> {
  const child = fork(fileURLToPath(import.meta.url), [name, String(count), String(minSeconds)], {
    execArgv: ['--expose-gc', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let answer: Answer | undefined;
    child.once('message', (message: Answer) => (answer = message));
    child.once('exit', (code, signal) => {
      if (answer === undefined) reject(new Error(`${name}: the bench process exited (${signal ?? code})`));
      else if ('error' in answer) reject(new Error(`${name}: ${answer.error}`));
      else resolve(answer);
    });
  });
}

async function main(): Promise<void> {
  const [name, count, minSeconds] = process.argv.slice(2);
  if (!PEER_NAMES.includes(name as PeerName)) throw new Error(`unknown validator ${name}`);
  let answer: Answer;
  try {
    answer = await measurePeer(name as PeerName, Number(count), Number(minSeconds));
  } catch (error) {
    answer = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  // Exit once the answer is sent, so that --cpu-prof writes its profile.
  process.send?.(answer, () => process.disconnect?.());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
