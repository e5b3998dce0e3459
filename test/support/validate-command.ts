/**
 * Running `openimis-fhir validate` for the tests: in-process (the command function, with its own
 * stdout, stderr and stdin) and as CI does (the built CLI in a child process).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runValidateCommand } from '../../harness/cli/validate.js';
import { igPaths, PROJECT_ROOT } from '../../harness/paths.js';

export const CLI = join(PROJECT_ROOT, 'dist', 'harness', 'cli.js');
export const RESOURCES = igPaths().generatedResources;

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collector() {
  const parts: string[] = [];
  return {
    stream: { isTTY: false, write: (text: string) => (parts.push(text), true) },
    text: () => parts.join(''),
  };
}

/** The command function, in this process; stdin is `stdin` at once, or `stdinPieces` one read each. */
export async function validateInProcess(
  args: string[],
  options: { stdin?: string; stdinPieces?: (string | Buffer)[]; cwd?: string } = {},
): Promise<Finished> {
  const stdout = collector();
  const stderr = collector();
  const code = await runValidateCommand(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.stdinPieces ?? [options.stdin ?? '']),
    cwd: options.cwd ?? PROJECT_ROOT,
    env: {},
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The built CLI in a child process, whatever its exit code. */
export function validateChild(
  args: string[],
  options: { stdin?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<Finished> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, 'validate', ...args],
      {
        cwd: options.cwd ?? PROJECT_ROOT,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1' },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.stdin ?? '');
  });
}

/** An IG example, on one line. */
export function exampleLine(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(RESOURCES, name), 'utf8')) as Record<string, unknown>;
}

/**
 * NDJSON of variations of the IG's Patient example: every 7th line has a bad gender (an error), every
 * 50th is cut short (a JSON syntax error), the rest are valid with their own id.
 */
export function* ndjsonLineTexts(count: number): Generator<string> {
  const patient = exampleLine('Patient-john-doe.json');
  for (let i = 1; i <= count; i++) {
    const text = JSON.stringify({ ...patient, id: `p${i}`, ...(i % 7 === 0 ? { gender: 'x' } : {}) });
    yield i % 50 === 0 ? text.slice(0, 40) : text;
  }
}

export function ndjsonLines(count: number): string {
  return `${[...ndjsonLineTexts(count)].join('\n')}\n`;
}

/** A large NDJSON file, written in chunks (it does not fit in one string). */
export async function writeNdjson(path: string, count: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    let chunk: string[] = [];
    for (const line of ndjsonLineTexts(count)) {
      chunk.push(line);
      if (chunk.length === 1000) {
        await handle.write(`${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) await handle.write(`${chunk.join('\n')}\n`);
  } finally {
    await handle.close();
  }
}

export const shown = (run: Finished) =>
  `exit ${run.code}\n${run.stdout.slice(0, 4000)}\n${run.stderr.slice(0, 4000)}`;
