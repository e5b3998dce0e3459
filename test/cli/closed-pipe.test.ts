/**
 * A reader that stops reading (`openimis-fhir validate big.ndjson | head`) ends the command quietly:
 * no stack trace, and an exit code that does not claim a finished run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'closed-pipe-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('validate into a pipe closed early: no stack trace, exit 70', async () => {
  const file = join(scratch, 'many.ndjson');
  const line = JSON.stringify({ resourceType: 'Patient', gender: 'nope' });
  writeFileSync(file, `${Array(20_000).fill(line).join('\n')}\n`);
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'dist', 'harness', 'cli.js'), 'validate', file, '--no-build', '--workers', '1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Read the first piece of the report, then go away.
  await once(child.stdout, 'data');
  child.stdout.destroy();
  const [code] = (await once(child, 'close')) as [number | null];
  expect(stderr).not.toMatch(/at .*\.js:\d+|Unhandled|EPIPE/);
  expect(code).toBe(70);
}, 60_000);
