/**
 * One bench target in a process of its own, so its memory is its own and the load client does not take
 * its CPU time: `node target-process.js <ours|medplum> <count>`, forked with an IPC channel. It answers
 * `{url, figures}` once loaded, or `{error}`, and closes on the message 'stop'.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  startTarget,
  TARGET_KINDS,
  type LoadFigures,
  type RunningTarget,
  type TargetKind,
} from './targets.js';

type Ready = { url: string; figures: LoadFigures } | { error: string };

/** Forks a target process and resolves once it is loaded and listening. */
export function forkTarget(name: TargetKind, count: number, execArgv: string[]): Promise<RunningTarget> {
  const child = fork(fileURLToPath(import.meta.url), [name, String(count)], {
    execArgv: ['--expose-gc', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready`)),
    );
    child.once('message', (message: Ready) => {
      if ('error' in message) {
        reject(new Error(`${name}: ${message.error}`));
        return;
      }
      resolve({
        url: message.url,
        figures: message.figures,
        close: async () => {
          child.send('stop');
          // A target that does not wind down in time is killed: the bench must not hang.
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}

async function main(): Promise<void> {
  const [name, count] = process.argv.slice(2);
  if (!TARGET_KINDS.includes(name as TargetKind)) throw new Error(`unknown target ${name}`);
  let target: RunningTarget;
  try {
    target = await startTarget(name as TargetKind, Number(count));
  } catch (error) {
    process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.disconnect?.();
    return;
  }
  process.on('message', (message) => {
    if (message !== 'stop') return;
    // A clean exit, so that --cpu-prof writes its profile.
    void target.close().then(() => process.disconnect?.());
  });
  process.send?.({ url: target.url, figures: target.figures } satisfies Ready);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
