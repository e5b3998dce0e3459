/**
 * Exit codes are written down once (harness/cli/exit-codes.ts): every command's `--help` prints its
 * codes from that table, and the README states exactly those, one line per command.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMMANDS_WITH_EXIT_CODES,
  EXIT,
  EXIT_CODES,
  exitCodesText,
  type CommandName,
} from '../../harness/cli/exit-codes.js';
import { PROJECT_ROOT } from '../../harness/paths.js';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

/** Where the README and the table disagree: a command whose line is missing, or a line of no command. */
function readmeDisagreements(readme: string): string[] {
  const stated = readme.split('\n').filter((line) => line.startsWith('Exit codes:'));
  const expected = COMMANDS_WITH_EXIT_CODES.map((command) => exitCodesText(command, 'markdown'));
  return [
    ...COMMANDS_WITH_EXIT_CODES.filter((_, i) => !stated.includes(expected[i] as string)).map(
      (command) =>
        `the README does not state ${command}'s codes as the table does: ${exitCodesText(command, 'markdown')}`,
    ),
    ...stated
      .filter((line) => !expected.includes(line))
      .map((line) => `the README states codes of no command: ${line}`),
  ];
}

/** The README heading under which each command's exit codes are stated. */
const SECTIONS: Record<CommandName, string> = {
  build: '### `build`',
  validate: '### `validate`',
  qa: '### `qa`',
  site: '### `site`',
  test: '### `test`',
  serve: '### `serve`',
  sync: '### `sync`',
  oracle: '### The oracle',
};

/**
 * Exit-code lines that stand under another command's heading: every line may match the table and the
 * README still tell the reader wrong codes, if qa's line sits in validate's section.
 */
function misplacedLines(readme: string): string[] {
  const misplaced: string[] = [];
  let heading = '';
  let inCode = false; // a shell comment in a code block is no heading
  for (const line of readme.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    if (!inCode && line.startsWith('#')) heading = line;
    if (!line.startsWith('Exit codes:')) continue;
    const owner = COMMANDS_WITH_EXIT_CODES.find((command) => exitCodesText(command, 'markdown') === line);
    if (owner !== undefined && heading !== SECTIONS[owner])
      misplaced.push(`${owner}'s codes stand under "${heading}", not "${SECTIONS[owner]}"`);
  }
  return misplaced;
}

function help(command: CommandName): Promise<{ code: number | null; stdout: string }> {
  const script =
    command === 'oracle'
      ? [join(PROJECT_ROOT, 'dist', 'harness', 'oracle', 'cli.js'), '--help']
      : [join(PROJECT_ROOT, 'dist', 'harness', 'cli.js'), command, '--help'];
  return new Promise((resolve) => {
    execFile(process.execPath, script, { cwd: PROJECT_ROOT, timeout: 60_000 }, (error, stdout) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout }),
    );
  });
}

describe('exit codes', () => {
  it('the README states each command’s codes exactly as the table does', () => {
    expect(readmeDisagreements(README)).toEqual([]);
  });

  it('a README that drifts from the table is caught', () => {
    const line = exitCodesText('test', 'markdown');
    const drifted = README.replace(line, line.replace('`3`', '`4`'));
    expect(readmeDisagreements(drifted)).toEqual([
      `the README does not state test's codes as the table does: ${line}`,
      `the README states codes of no command: ${line.replace('`3`', '`4`')}`,
    ]);
  });

  it('the README states each command’s codes in that command’s own section', () => {
    expect(misplacedLines(README)).toEqual([]);
  });

  it('a README whose lines are swapped between sections is caught', () => {
    const [qa, validate] = [exitCodesText('qa', 'markdown'), exitCodesText('validate', 'markdown')];
    const swapped = README.replace(qa, '\0').replace(validate, qa).replace('\0', validate);
    expect(readmeDisagreements(swapped)).toEqual([]);
    expect(misplacedLines(swapped)).toEqual([
      'qa\'s codes stand under "### `validate`", not "### `qa`"',
      'validate\'s codes stand under "### `qa`", not "### `validate`"',
    ]);
  });

  it('each command lists its codes in its --help, from the table', async () => {
    for (const command of COMMANDS_WITH_EXIT_CODES) {
      const { code, stdout } = await help(command);
      expect(code, command).toBe(EXIT.ok);
      expect(stdout, command).toContain(exitCodesText(command, 'plain'));
    }
  });

  it('every command can succeed, be called wrongly, and fail in its own way', () => {
    for (const command of COMMANDS_WITH_EXIT_CODES) {
      const codes = EXIT_CODES[command].map(([code]) => code);
      expect(codes, command).toEqual(expect.arrayContaining([EXIT.ok, EXIT.usage, EXIT.incomplete]));
      expect(new Set(codes).size, command).toBe(codes.length);
    }
  });
});
