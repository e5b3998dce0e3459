/**
 * Bulk validation: NDJSON over worker threads gives the same results as one thread, in the same order,
 * and a 200,000-line file is validated with bounded memory (peak RSS measured in the child process,
 * worker threads included, and printed for the record).
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CLI,
  exampleLine,
  ndjsonLines,
  shown,
  validateChild,
  writeNdjson,
} from '../support/validate-command.js';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'openimis-fhir-validate-bulk-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

it('10,000 NDJSON lines: 2 workers give exactly the results of 1', async () => {
  const file = join(scratch, 'ten-thousand.ndjson');
  await writeFile(file, ndjsonLines(10_000));
  const one = await validateChild([file, '--format', 'json', '--workers', '1']);
  const two = await validateChild([file, '--format', 'json', '--workers', '2']);
  expect(one.code, shown(one)).toBe(1);
  expect(two.code, shown(two)).toBe(1);
  const results = (run: { stdout: string }) => (JSON.parse(run.stdout) as { results: unknown[] }).results;
  expect(results(one)).toHaveLength(10_000);
  expect(results(two)).toEqual(results(one));
  console.log(
    `10,000 lines: 1 worker ${one.stderr.split('\n').at(-2)}; 2 workers ${two.stderr.split('\n').at(-2)}`,
  );
}, 180_000);

it('a document too large for a worker is validated in its place, among NDJSON chunks and documents', async () => {
  const folder = join(scratch, 'mixed');
  await mkdir(folder);
  const patient = exampleLine('Patient-john-doe.json');
  // A document Bundle of over 8 MB (documents are validated whole, not in parts): the pool validates it
  // on the main thread.
  const entries = Array.from({ length: 3000 }, (_, i) => ({
    fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    resource: { ...patient, id: `big${i}`, ...(i === 0 ? { gender: 'x' } : {}) },
  }));
  const bundle = JSON.stringify({ resourceType: 'Bundle', type: 'document', entry: entries });
  expect(bundle.length).toBeGreaterThan(8 << 20);
  await writeFile(join(folder, 'b-big.json'), bundle);
  await writeFile(join(folder, 'a.ndjson'), ndjsonLines(30));
  await writeFile(join(folder, 'c.json'), JSON.stringify({ ...patient, gender: 'y' }));
  const one = await validateChild([folder, '--format', 'json', '--workers', '1']);
  const two = await validateChild([folder, '--format', 'json', '--workers', '2']);
  const results = (run: { stdout: string }) =>
    (JSON.parse(run.stdout) as { results: { file: string; index?: number; issues: { id: string }[] }[] })
      .results;
  expect(two.code, shown(two)).toBe(1);
  expect(results(two)).toEqual(results(one));
  const files = results(two).map((r) => r.file.split('/').at(-1));
  expect(files).toEqual([...Array(30).fill('a.ndjson'), 'b-big.json', 'c.json']);
  const big = results(two)[30];
  expect(big?.issues.some((i) => i.id === 'BIND_REQUIRED_NOT_IN_VS')).toBe(true);
}, 180_000);

it('a worker out of memory ends the run (exit 70) naming where, even while stdin stays open', async () => {
  // Under 8 MB, so it goes to a worker, but millions of elements: more than a worker's heap limit.
  const heavy = `{"resourceType":"Patient","extension":[${Array(2_600_000).fill('{}').join(',')}]}`;
  const before = Array.from({ length: 20_000 }, (_, i) =>
    JSON.stringify({ resourceType: 'Patient', id: `a${i}` }),
  );
  const child = spawn(process.execPath, [CLI, 'validate', '-', '--workers', '2', '--format', 'json'], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => {}); // the child may close its stdin first
  child.stdin.write(`${before.join('\n')}\n${heavy}\n${before.join('\n')}\n`);
  // stdin is left open: the run must still stop once the worker fails.
  const [code] = (await once(child, 'exit')) as [number | null];
  child.stdin.destroy();
  expect(code, stderr).toBe(70);
  expect(stderr).toMatch(
    /could not complete: a validation worker stopped on <stdin> from line \d+: .*memory/,
  );
  expect(stderr).toContain('--workers 1');
  expect(stderr).not.toMatch(/\n\s+at /);
}, 120_000);

it('200,000 NDJSON lines stream with bounded memory', async () => {
  const file = join(scratch, 'two-hundred-thousand.ndjson');
  await writeNdjson(file, 200_000);
  // The CLI, run by a wrapper that reports the process's peak RSS (all threads) on exit.
  const wrapper = join(scratch, 'measure.mjs');
  await writeFile(
    wrapper,
    [
      "import { writeSync } from 'node:fs';",
      "process.on('exit', () => writeSync(2, `\\nMAXRSS_KB=${process.resourceUsage().maxRSS}\\n`));",
      `process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...process.argv.slice(2)];`,
      `await import(${JSON.stringify(pathToFileURL(CLI).href)});`,
    ].join('\n'),
  );
  const run = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    execFile(
      process.execPath,
      [wrapper, 'validate', file, '--format', 'sarif', '--out', join(scratch, 'out.sarif'), '--workers', '2'],
      { timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        }),
    );
  });
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toContain('200,000 resources');
  const peakMb = Number(/MAXRSS_KB=(\d+)/.exec(run.stderr)?.[1]) / 1024;
  console.log(`200,000 lines, 2 workers, SARIF: peak RSS ${peakMb.toFixed(0)} MB\n${run.stderr}`);
  // The issue's bound for a million resources holds at any length: nothing per resource is kept, the
  // main thread holds no resource text and no definitions, and each worker's young generation is capped.
  expect(peakMb).toBeLessThan(300);
}, 360_000);
