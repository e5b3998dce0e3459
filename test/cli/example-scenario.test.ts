/**
 * The documented example of a user's own scenario (docs/examples/my-scenario.ts, shown in the README):
 * it runs and passes against the bundled server with the command the README gives, and it type-checks
 * against the DSL's types when `openimis-fhir` is mapped to them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/paths.js';
import type { RunResult } from '../../harness/runner/index.js';

const run = promisify(execFile);
const EXAMPLES = join(PROJECT_ROOT, 'docs', 'examples');

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'openimis-fhir-example-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('docs/examples/my-scenario.ts', () => {
  it('passes against the bundled server with `openimis-fhir test --scenarios docs/examples`', async () => {
    const reports = join(scratch, 'reports');
    // execFile rejects on a non-zero exit, with the output in the error.
    await run(
      process.execPath,
      [
        join(PROJECT_ROOT, 'dist', 'harness', 'cli.js'),
        'test',
        '--scenarios',
        'docs/examples',
        '--format',
        'json',
        '--report-dir',
        reports,
      ],
      { cwd: PROJECT_ROOT, timeout: 60_000 },
    );
    const result = JSON.parse(await readFile(join(reports, 'run.json'), 'utf8')) as RunResult;
    const example = result.scenarios.find((scenario) => scenario.id === 'find-patient-by-identifier');
    expect(example?.steps.map((step) => [step.id, step.outcome, step.messages])).toEqual([
      ['create', 'pass', []],
      ['search-by-identifier', 'pass', []],
    ]);
    expect(result.cleanup.failed).toEqual([]);
  });

  it('type-checks against the scenario DSL', async () => {
    const tsconfig = join(scratch, 'tsconfig.json');
    await writeFile(
      tsconfig,
      JSON.stringify({
        extends: join(PROJECT_ROOT, 'tsconfig.json'),
        compilerOptions: {
          noEmit: true,
          incremental: false,
          rootDir: PROJECT_ROOT,
          typeRoots: [join(PROJECT_ROOT, 'node_modules', '@types')],
          // What a user's tsconfig would say while the package has no "exports" with types.
          paths: { 'openimis-fhir': [join(PROJECT_ROOT, 'harness', 'runner', 'index.ts')] },
        },
        include: [join(EXAMPLES, '*.ts')],
      }),
    );
    const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await run(process.execPath, [tsc, '-p', tsconfig], {
      cwd: PROJECT_ROOT,
      timeout: 60_000,
    }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(checked).toBe('');
  });
});
