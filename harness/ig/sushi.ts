/**
 * Runs SUSHI as a child process against the offline package cache and turns its log into messages.
 */
import { spawn } from 'node:child_process';
import { forwardStopSignals } from '../processes.js';
import { createRequire } from 'node:module';

export type SushiLevel = 'error' | 'warn';

export interface SushiMessage {
  level: SushiLevel;
  text: string;
  file?: string;
  line?: number;
  /** A notice SUSHI prints when it cannot fetch a package it adds by itself; expected offline. */
  expectedOffline: boolean;
}

export interface SushiRun {
  exitCode: number;
  messages: SushiMessage[];
  log: string;
}

const require = createRequire(import.meta.url);

/** SUSHI adds these packages to every IG and tries to download them; offline it can only warn. */
const AUTOMATIC_DEPENDENCY_NOTICE = /^Failed to load automatically-provided (\S+)/;

export function runSushi(projectDir: string, fhirHome: string): Promise<SushiRun> {
  const sushiApp = require.resolve('fsh-sushi/dist/app.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sushiApp, 'build', projectDir, '--snapshot'], {
      cwd: projectDir,
      env: { ...process.env, HOME: fhirHome, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Stopped with us: a SUSHI left running would write into the IG after we are gone.
    const stopForwarding = forwardStopSignals(child);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      stopForwarding();
      const log = Buffer.concat(chunks).toString('utf8');
      resolve({ exitCode: code ?? 1, messages: parseSushiLog(log), log });
    });
  });
}

/**
 * SUSHI logs one message per `error`/`warn` line, followed by indented `File:` and `Line:` lines
 * that say where the FSH rule is.
 */
export function parseSushiLog(log: string): SushiMessage[] {
  const messages: SushiMessage[] = [];
  let current: SushiMessage | undefined;
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes in case a terminal forced them
  for (const rawLine of log.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/)) {
    const start = /^(error|warn)\s+(.*)$/.exec(rawLine);
    if (start) {
      const text = start[2] ?? '';
      current = {
        level: start[1] as SushiLevel,
        text,
        expectedOffline: AUTOMATIC_DEPENDENCY_NOTICE.test(text),
      };
      messages.push(current);
      continue;
    }
    if (!current) continue;
    const file = /^\s+File:\s+(.*)$/.exec(rawLine);
    const line = /^\s+Line:\s+(\d+)/.exec(rawLine);
    if (file) current.file = file[1];
    else if (line) current.line = Number(line[1]);
    else if (!/^\s/.test(rawLine)) current = undefined;
  }
  return messages;
}
