/**
 * Live progress on a terminal: a line per scenario and per step as the engine reports them, then a table
 * of counts. Colours and symbols only where they help (a TTY, or FORCE_COLOR); plain words in CI logs
 * and files, and whenever NO_COLOR is set.
 */
import type { Outcome, RunEvent, RunResult, ScenarioResult, StepResult } from '../types.js';
import {
  addCounts,
  countScenarios,
  countSteps,
  emptyCounts,
  firstLine,
  formatDuration,
  OUTCOME_LABEL,
  OUTCOMES,
  runErrorLabel,
  runOutcome,
  stepName,
  type OutcomeCounts,
} from './summary.js';

export interface ConsoleReporterOptions {
  /** Colours and symbols; by default decided from NO_COLOR, FORCE_COLOR and whether the stream is a TTY. */
  color?: boolean;
  /** The environment to read NO_COLOR and FORCE_COLOR from (process.env by default). */
  env?: NodeJS.ProcessEnv;
}

export interface ConsoleReporter {
  /** Call on every engine event, in order. */
  onEvent(event: RunEvent): void;
  /** Writes the table of counts and the run's verdict. */
  summary(result: RunResult): void;
}

/** NO_COLOR (any non-empty value) wins, then FORCE_COLOR (anything but 0/false), then the TTY. */
export function shouldUseColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  return (stream as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
}

const ANSI: Record<Outcome | 'dim' | 'bold', string> = {
  pass: '\u001b[32m',
  fail: '\u001b[31m',
  warning: '\u001b[33m',
  skip: '\u001b[90m',
  error: '\u001b[35m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
};
const RESET = '\u001b[0m';

const SYMBOL: Record<Outcome, string> = { pass: '✓', fail: '✗', warning: '!', skip: '-', error: '⚠' };
const WORD: Record<Outcome, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warning: 'WARN',
  skip: 'SKIP',
  error: 'ERROR',
};
const COLUMN: Record<Outcome, string> = {
  pass: 'pass',
  fail: 'fail',
  warning: 'warn',
  skip: 'skip',
  error: 'error',
};

/** Terminal control characters from server-supplied text, removed so a message cannot repaint the screen. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return right ? fill + text : text + fill;
}

/** What the end-of-run deletion did, when there is something to say. */
function cleanupLines(result: RunResult): string[] {
  const { cleanup } = result;
  const lines: string[] = [];
  if (cleanup.kept && cleanup.remaining.length > 0) {
    lines.push(
      `Kept ${cleanup.remaining.length} created resources: ${cleanup.remaining.map(clean).join(', ')}`,
    );
  }
  if (cleanup.undeletable.length > 0) {
    const types = [...new Set(cleanup.undeletable.map((reference) => reference.split('/')[0]))];
    lines.push(
      `Left ${cleanup.undeletable.length} created resources of types the target declares no delete for (${types.map((type) => clean(String(type))).join(', ')})`,
    );
  }
  if (cleanup.failed.length > 0) {
    lines.push(`Clean-up could not delete ${cleanup.failed.length}:`);
    for (const failure of cleanup.failed)
      lines.push(`  ${clean(failure.reference)}: ${clean(firstLine(failure.message))}`);
  }
  return lines;
}

export function createConsoleReporter(
  stream: NodeJS.WritableStream,
  options: ConsoleReporterOptions = {},
): ConsoleReporter {
  const color = options.color ?? shouldUseColor(stream, options.env);
  const paint = (style: Outcome | 'dim' | 'bold', text: string): string =>
    color ? `${ANSI[style]}${text}${RESET}` : text;
  const mark = (outcome: Outcome): string =>
    color ? paint(outcome, SYMBOL[outcome]) : pad(WORD[outcome], 5);
  const write = (line: string): void => {
    stream.write(`${line}\n`);
  };

  function stepLine(step: StepResult, scenarioId?: string): string {
    const message = step.messages[0] !== undefined ? ` — ${clean(firstLine(step.messages[0]))}` : '';
    const duration = paint('dim', `(${formatDuration(step.durationMs)})`);
    const name = scenarioId === undefined ? stepName(step) : `${clean(scenarioId)} › ${stepName(step)}`;
    return `  ${mark(step.outcome)} ${name}  ${clean(step.title)} ${duration}${message}`;
  }

  function scenarioEnd(scenario: ScenarioResult): void {
    const reason = scenario.messages[0] !== undefined ? ` — ${clean(firstLine(scenario.messages[0]))}` : '';
    const verdict = color ? paint(scenario.outcome, WORD[scenario.outcome]) : WORD[scenario.outcome];
    write(
      `  => ${verdict} ${scenario.id} ${paint('dim', `(${formatDuration(scenario.durationMs)})`)}${reason}`,
    );
    write('');
  }

  function table(result: RunResult): string[] {
    const header = ['scenario', ...OUTCOMES.map((outcome) => COLUMN[outcome]), 'outcome'];
    const rows = result.scenarios.map((scenario) => {
      const counts = countSteps(scenario.steps);
      return [
        clean(scenario.id),
        ...OUTCOMES.map((outcome) => String(counts[outcome])),
        WORD[scenario.outcome],
      ];
    });
    const totals: OutcomeCounts = result.scenarios.reduce(
      (sum, scenario) => addCounts(sum, countSteps(scenario.steps)),
      emptyCounts(),
    );
    const totalRow = [
      'total',
      ...OUTCOMES.map((outcome) => String(totals[outcome])),
      WORD[runOutcome(result)],
    ];
    const all = [header, ...rows, totalRow];
    const widths = header.map((_, column) => Math.max(...all.map((row) => visibleLength(row[column] ?? ''))));
    const render = (row: string[]): string =>
      row
        .map((cell, column) => pad(cell, widths[column] ?? 0, column > 0 && column < row.length - 1))
        .join('  ')
        .trimEnd();
    const rule = widths.map((width) => '-'.repeat(width)).join('  ');
    return [render(header), rule, ...rows.map(render), rule, render(totalRow)];
  }

  /** The scenario whose header was printed last: step lines of another one (parallel runs) name theirs. */
  let current: string | undefined;

  return {
    onEvent(event: RunEvent): void {
      switch (event.kind) {
        case 'run-started': {
          const count = event.scenarios.length;
          write(
            `Testing ${clean(event.target)} with ${count} ${count === 1 ? 'scenario' : 'scenarios'} (run ${clean(event.runId)})`,
          );
          write('');
          break;
        }
        case 'scenario-started':
          current = event.scenario.id;
          write(
            `${paint('bold', clean(event.scenario.title))} ${paint('dim', `[${clean(event.scenario.id)}]`)}`,
          );
          break;
        case 'step-finished':
          write(event.scenarioId === current ? stepLine(event.step) : stepLine(event.step, event.scenarioId));
          break;
        case 'scenario-finished':
          scenarioEnd(event.scenario);
          break;
        case 'run-finished':
          // The summary is the caller's to write (it may want it after other output).
          break;
      }
    },

    summary(result: RunResult): void {
      if (result.scenarios.length > 0) for (const line of table(result)) write(line);
      const scenarios = countScenarios(result);
      const parts = OUTCOMES.filter((outcome) => scenarios[outcome] > 0).map(
        (outcome) => `${scenarios[outcome]} ${OUTCOME_LABEL[outcome]}`,
      );
      const outcome = runOutcome(result);
      write('');
      if (result.infrastructureError !== undefined) {
        write(`${paint('error', `${runErrorLabel(result)}:`)} ${clean(result.infrastructureError)}`);
      }
      const given = result.inputs.filter((use) => use.source === 'given');
      if (given.length > 0)
        write(`Inputs: ${given.map((use) => `${use.name}=${clean(use.value ?? '')}`).join(', ')}`);
      for (const line of cleanupLines(result)) write(line);
      const verdict = color ? paint(outcome, WORD[outcome]) : WORD[outcome];
      const counted =
        result.scenarios.length === 0
          ? 'no scenario ran'
          : `${result.scenarios.length} ${result.scenarios.length === 1 ? 'scenario' : 'scenarios'}: ${parts.join(', ')}`;
      write(`${verdict} ${counted} in ${formatDuration(result.durationMs)} against ${clean(result.target)}`);
    },
  };
}
