/** The built `openimis-fhir` command in a child process, whatever its exit code. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../harness/paths.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const CLI = join(PROJECT_ROOT, 'dist', 'harness', 'cli.js');

export function runCli(args: string[], timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: PROJECT_ROOT,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1' },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
