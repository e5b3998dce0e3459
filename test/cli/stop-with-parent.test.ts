/**
 * One-shot commands stop with the process that started them: `npm start` runs the test command
 * through a shell, and stopping npm used to leave the test command (and its bundled server) running.
 * `serve` is left alone: outliving its parent (nohup, a service) is what is wanted of it.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fakeServer } from '../support/fake-servers.js';
import { BUILT_CLI, sleep } from '../support/raw-http.js';

/** Whether a process runs. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `args` of the CLI from a parent process of its own, kills that parent with SIGKILL (nothing is
 * forwarded), and returns the command's pid.
 */
async function orphaned(args: string[]): Promise<number> {
  const parentScript = `
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, ${JSON.stringify([BUILT_CLI, ...args])}, { stdio: 'ignore' });
    console.log(child.pid);
    setInterval(() => {}, 1000);
  `;
  const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) =>
    parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))),
  );
  await sleep(1_500); // the command is under way
  expect(running(pid)).toBe(true);
  parent.kill('SIGKILL');
  return pid;
}

describe('a one-shot command whose parent is gone', () => {
  it('test stops within a few seconds, instead of waiting on its target', async () => {
    // A target that never answers: left alone, the run would wait out its 60 s timeout.
    const target = await fakeServer(() => undefined);
    try {
      const pid = await orphaned([
        'test',
        '--server',
        target.url,
        '--timeout',
        '60000',
        '--format',
        'console',
      ]);
      let stopped = false;
      for (let i = 0; i < 50 && !stopped; i++) {
        await sleep(100);
        stopped = !running(pid);
      }
      expect(stopped).toBe(true);
    } finally {
      await target.close();
    }
  });

  it('serve keeps running (a server outlives its parent on purpose)', async () => {
    const pid = await orphaned(['serve', '--port', '0', '--validation', 'off']);
    try {
      await sleep(3_000);
      expect(running(pid)).toBe(true);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});
