/**
 * `qa --watch` on a copy of the IG, as a user runs it: judged at once, judged again after a save with
 * what changed first (the new issue, then, once mended, the fixed one), stopped by Ctrl-C with exit 0.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { changesSince } from '../../harness/cli/qa-watch.js';
import type { QaIssue } from '../../harness/qa/issues.js';
import { PROJECT_ROOT } from '../../harness/paths.js';

const root = mkdtempSync(join(tmpdir(), 'qa-watch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('says what changed between two runs, by issue, not by line', () => {
  const issue = (text: string, line: number): QaIssue => ({
    id: 'X',
    severity: 'error',
    code: 'invalid',
    expression: 'Patient',
    text,
    file: 'a.fsh',
    line,
    origin: 'validator',
    mapping: 'rule',
  });
  expect(changesSince([issue('kept', 3), issue('gone', 4)], [issue('kept', 9), issue('new', 5)])).toBe(
    'Since the last run: 1 new, 1 fixed\n  + a.fsh:5  error  new  (X)\n  - a.fsh:4  error  gone  (X)\n',
  );
});

it('judges on start, again on each save, and stops on Ctrl-C', async () => {
  for (const part of ['sushi-config.yaml', 'input', 'qa-suppressions.txt'])
    cpSync(join(PROJECT_ROOT, part), join(root, part), { recursive: true });
  const child = spawn(
    process.execPath,
    [
      join(PROJECT_ROOT, 'dist', 'harness', 'cli.js'),
      'qa',
      '--watch',
      '--root',
      root,
      '--min-severity',
      'error',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const waitFor = async (pattern: RegExp, from: number) => {
    for (let waited = 0; !pattern.test(stdout.slice(from)); waited += 100) {
      if (waited > 120_000) throw new Error(`no ${pattern} in:\n${stdout.slice(from)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  try {
    await waitFor(/qa --watch: watching/, 0);
    expect(stdout).toMatch(/qa: 0 errors/);
    const patient = join(root, 'input/fsh/examples/Patient-john-doe.fsh');
    const original = readFileSync(patient, 'utf8');
    let mark = stdout.length;
    writeFileSync(patient, original.replace(/^\* birthDate = .*$/m, '* birthDate = "1980-02-30"'));
    await waitFor(/qa --watch: watching/, mark);
    expect(stdout.slice(mark)).toMatch(
      /^Since the last run: [1-9]\d* new, 0 fixed\n {2}\+ input\/fsh\/examples\/Patient-john-doe\.fsh:\d+:\d+ {2}error/,
    );
    mark = stdout.length;
    writeFileSync(patient, original);
    await waitFor(/qa --watch: watching/, mark);
    expect(stdout.slice(mark)).toMatch(/^Since the last run: 0 new, [1-9]\d* fixed\n {2}- /);
  } finally {
    child.kill('SIGINT');
  }
  const [code] = (await once(child, 'close')) as [number | null];
  expect(code).toBe(0);
}, 300_000);
