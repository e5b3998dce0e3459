/**
 * Every exit code of every command, in one table: the commands return these constants (typed
 * `ExitCode`, so a code outside the table does not compile), their `--help` and the README print the
 * meanings from here (a test holds the README to it), so what a CI script reads from `$?` is written
 * down once.
 */

/** The codes, by what they mean to a caller. */
export const EXIT = {
  /** The job was done and found nothing at or above the threshold. */
  ok: 0,
  /** The job was done and found problems (errors in the IG, issues, failed expectations). */
  problems: 1,
  /** The command was called wrongly, or an input or setting cannot be used. */
  usage: 2,
  /** Something outside the tool failed: the target server is unreachable, a login was refused. */
  infrastructure: 3,
  /** The tool could not complete (a fault of its own, a worker thread that failed); BSD's EX_SOFTWARE. */
  incomplete: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const COMMANDS_WITH_EXIT_CODES = [
  'build',
  'validate',
  'qa',
  'site',
  'test',
  'serve',
  'sync',
  'oracle',
] as const;
export type CommandName = (typeof COMMANDS_WITH_EXIT_CODES)[number];

const INTERNAL_FAULT = 'an internal fault of the tool, said in one line without a stack trace';

/** What each code means for each command, in the order they are listed. */
export const EXIT_CODES: Record<CommandName, [ExitCode, string][]> = {
  build: [
    [EXIT.ok, 'built or up to date'],
    [EXIT.problems, 'SUSHI reported errors (each printed with its FSH file and line)'],
    [EXIT.usage, 'usage error'],
    [EXIT.incomplete, INTERNAL_FAULT],
  ],
  validate: [
    [EXIT.ok, 'no issue at or above `--fail-on`'],
    [EXIT.problems, 'such issues (a file that is not JSON is an input with a fatal issue)'],
    [
      EXIT.usage,
      'usage error, an input that does not exist or cannot be read, or inputs that hold no resource or none that is FHIR',
    ],
    [
      EXIT.incomplete,
      "the run could not complete (a worker thread ran out of memory on an extreme resource: the message names the input and line; `--workers 1` validates on the main thread, without a worker's limit), or an internal fault",
    ],
  ],
  qa: [
    [EXIT.ok, 'no issue at or above `--fail-on`'],
    [EXIT.problems, 'issues at or above `--fail-on`'],
    [EXIT.usage, 'usage error'],
    [EXIT.incomplete, INTERNAL_FAULT],
  ],
  site: [
    [EXIT.ok, 'site written (examples with errors are shown so on their pages)'],
    [EXIT.usage, 'usage error, or an IG that is stale under `--no-build` or fails to build'],
    [EXIT.incomplete, INTERNAL_FAULT],
  ],
  test: [
    [EXIT.ok, 'every MUST expectation holds'],
    [EXIT.problems, 'conformance failures (or nothing ran)'],
    [
      EXIT.usage,
      'usage or configuration error: an option, the credentials refused, a base URL that is not a FHIR base (its /metadata is no CapabilityStatement)',
    ],
    [
      EXIT.infrastructure,
      'the target is unreachable (host, TLS, timeout) or failing (5xx): never counted as a conformance failure',
    ],
    [EXIT.incomplete, INTERNAL_FAULT],
  ],
  serve: [
    [EXIT.ok, 'stopped cleanly'],
    [EXIT.usage, 'usage or configuration error'],
    [EXIT.incomplete, INTERNAL_FAULT],
  ],
  sync: [
    [EXIT.ok, 'every change synced (or none to sync)'],
    [EXIT.problems, 'the run completed but some entries failed (each logged with its OperationOutcome)'],
    [EXIT.usage, 'usage error, or a state or map file that cannot be read'],
    [
      EXIT.infrastructure,
      'the registry or the target failed as a whole (unreachable, not a FHIR server): the state is left as it was',
    ],
    [EXIT.incomplete, INTERNAL_FAULT],
  ],
  oracle: [
    [EXIT.ok, 'report printed'],
    [EXIT.problems, 'a single `--case` disagrees'],
    [EXIT.usage, 'usage error'],
    [EXIT.incomplete, INTERNAL_FAULT],
  ],
};

/**
 * The exit codes of a command as one sentence: the README's form (markdown, one line) or `--help`'s
 * (plain text, wrapped at 100 columns).
 */
export function exitCodesText(command: CommandName, form: 'markdown' | 'plain'): string {
  const code = (value: number) => (form === 'markdown' ? `\`${value}\`` : String(value));
  const text = (meaning: string) => (form === 'markdown' ? meaning : meaning.replace(/`/g, ''));
  const sentence = `Exit codes: ${EXIT_CODES[command].map(([value, meaning]) => `${code(value)} ${text(meaning)}`).join('; ')}.`;
  return form === 'markdown' ? sentence : wrapped(sentence, 100);
}

function wrapped(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}
