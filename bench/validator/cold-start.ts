/**
 * Cold start: from process start to the first validation result. Each run spawns a fresh
 * `node -e` process that imports a validator, loads it and validates one resource (the IG's Claim001),
 * printing the result; the time is wall time from spawn to the first line on stdout. The median of
 * several runs is reported, with the minimum and maximum.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../harness/paths.js';
import type { PeerName } from './peers.js';

export interface ColdStartCase {
  name: string;
  peer: PeerName;
  /** Validate against this profile, or the base type when undefined. */
  profile: string | undefined;
}

export interface ColdStartResult {
  name: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** What the first run printed: the validation result, so a broken start cannot pass for a fast one. */
  firstResult: string;
}

/** The child's program: the bench's own loader for the validator (the same code the throughput uses). */
function program(peer: PeerName, profile: string | undefined, resourceFile: string): string {
  const peers = pathToFileURL(join(PROJECT_ROOT, 'dist', 'bench', 'validator', 'peers.js')).href;
  return [
    `import { readFileSync } from 'node:fs';`,
    `import { PEERS } from ${JSON.stringify(peers)};`,
    `const loaded = await PEERS[${JSON.stringify(peer)}].load();`,
    `const text = readFileSync(${JSON.stringify(resourceFile)}, 'utf8');`,
    `const input = loaded.input === 'text' ? text : JSON.parse(text);`,
    `process.stdout.write(JSON.stringify(loaded.validate(input, ${JSON.stringify(profile)})) + '\\n');`,
  ].join('\n');
}

/** Wall time in ms from spawn to the first output, and that output. */
export function timeToFirstOutput(
  command: string,
  args: string[],
): Promise<{ ms: number; output: string; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstAt: number | undefined;
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      firstAt ??= performance.now();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', reject);
    child.once('close', (exitCode) => {
      if (firstAt === undefined) {
        reject(new Error(`${command} ${args.join(' ').slice(0, 80)}: no output (${exitCode}): ${errors}`));
        return;
      }
      resolve({ ms: firstAt - started, output: output.trim(), exitCode });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function measureColdStart(
  name: string,
  command: string,
  args: string[],
  runs: number,
): Promise<ColdStartResult> {
  const times: number[] = [];
  let firstResult = '';
  for (let run = 0; run < runs; run++) {
    const { ms, output } = await timeToFirstOutput(command, args);
    times.push(ms);
    if (run === 0) firstResult = output.slice(0, 300);
  }
  return {
    name,
    runs,
    medianMs: Math.round(median(times)),
    minMs: Math.round(Math.min(...times)),
    maxMs: Math.round(Math.max(...times)),
    firstResult,
  };
}

export function coldStartOfPeer(
  benchCase: ColdStartCase,
  resourceFile: string,
  runs: number,
): Promise<ColdStartResult> {
  return measureColdStart(
    benchCase.name,
    process.execPath,
    ['--input-type=module', '-e', program(benchCase.peer, benchCase.profile, resourceFile)],
    runs,
  );
}
