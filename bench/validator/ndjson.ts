/**
 * The NDJSON path: a generated file of Patients and Claims (alternating, each declaring its openIMIS
 * profile in meta.profile), validated by `openimis-fhir validate <file> --workers N --format json` (the
 * command loads the project's IG by default) with stdout sent to /dev/null. Measured: wall time (so resources per second include start-up) and
 * the process's peak RSS, which covers the worker threads (they live in the same process); it is read
 * by a module preloaded with --import (peak-rss-preload.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  createWriteStream,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { MB } from '../common.js';
import {
  CLAIM_PROFILE,
  claimTemplate,
  claimVariant,
  PATIENT_PROFILE,
  patientTemplate,
  patientVariant,
} from './inputs.js';

const CLI = join(PROJECT_ROOT, 'dist', 'harness', 'cli.js');
const PRELOAD = join(PROJECT_ROOT, 'dist', 'bench', 'validator', 'peak-rss-preload.js');

/** Writes count resources, one a line, unless the file is already there (generation takes a while). */
export async function ensureNdjson(
  file: string,
  count: number,
): Promise<{ generatedMs: number; megabytes: number; reused: boolean }> {
  const started = performance.now();
  const reused = existsSync(file);
  if (!reused) {
    const partial = `${file}.partial`;
    const out = createWriteStream(partial);
    const patient = patientTemplate();
    const claim = claimTemplate();
    let chunk = '';
    for (let i = 0; i < count; i++) {
      const n = Math.floor(i / 2);
      const resource =
        i % 2 === 0
          ? { ...patientVariant(patient, n), meta: { profile: [PATIENT_PROFILE] } }
          : { ...claimVariant(claim, n), meta: { profile: [CLAIM_PROFILE] } };
      chunk += `${JSON.stringify(resource)}\n`;
      if (chunk.length > 1 << 20 || i === count - 1) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end();
    await once(out, 'close');
    renameSync(partial, file);
  }
  return {
    generatedMs: Math.round(performance.now() - started),
    megabytes: Math.round(statSync(file).size / MB),
    reused,
  };
}

export interface NdjsonRun {
  workers: number;
  resources: number;
  seconds: number;
  resourcesPerSecond: number;
  peakRssMb: number | undefined;
  /**
   * RSS sampled from /proc every half second, at a tenth, a quarter, half, three quarters and the end of
   * the run: flat once warm means bounded memory; a climb means something grows with the input.
   */
  rssTimelineMb: number[];
  exitCode: number | null;
  /** The end of stderr: the command's summary, or what went wrong. */
  stderrTail: string;
}

export async function runValidateCommand(
  file: string,
  resources: number,
  workers: number,
  scratch: string,
  extraNodeArgs: string[] = [],
): Promise<NdjsonRun> {
  const rssFile = join(scratch, `peak-rss-${workers}.txt`);
  rmSync(rssFile, { force: true });
  const devNull = openSync('/dev/null', 'w');
  const args = [
    ...extraNodeArgs,
    '--import',
    pathToFileURL(PRELOAD).href,
    CLI,
    'validate',
    file,
    '--workers',
    String(workers),
    '--format',
    'json',
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', devNull, 'pipe'],
    env: { ...process.env, BENCH_PEAK_RSS_FILE: rssFile },
  });
  const samples: number[] = [];
  const sampler = setInterval(() => {
    const rss = child.pid === undefined ? undefined : currentRssKb(child.pid);
    if (rss !== undefined) samples.push(rss);
  }, 500);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Only the end matters (the summary); a progress bar could otherwise grow this without bound.
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const [exitCode] = (await once(child, 'close')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  closeSync(devNull);
  const peakKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
  return {
    workers,
    resources,
    seconds: Math.round(seconds * 100) / 100,
    resourcesPerSecond: Math.round(resources / seconds),
    peakRssMb: peakKb === undefined ? undefined : Math.round((peakKb * 1024) / MB),
    rssTimelineMb: [0.1, 0.25, 0.5, 0.75, 1]
      .map((at) => samples[Math.min(samples.length - 1, Math.floor(at * samples.length))])
      .filter((kb): kb is number => kb !== undefined)
      .map((kb) => Math.round((kb * 1024) / MB)),
    exitCode,
    stderrTail: stderr.trim().split('\n').slice(-8).join('\n'),
  };
}

/** VmRSS of a live process in KB (Linux); undefined elsewhere or once it has exited. */
function currentRssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
