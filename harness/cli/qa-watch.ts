/**
 * `qa --watch`: the IG judged again on every save. What changed since the last run comes first (the
 * issues that are new, those that are gone), then the whole report. Saves that come while a run is
 * going are gathered into one more run after it.
 */
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { QaIssue } from '../qa/issues.js';
import type { ExitCode } from './exit-codes.js';

/** One judged run: its report, the issues that count, its exit code. */
export interface JudgedQa {
  output: string;
  kept: QaIssue[];
  code: ExitCode;
}

/** Saves within this long of each other are one change (editors write a file in several steps). */
const SETTLE_MS = 250;

/** An issue as the same issue across runs: not by line, which moves as lines are added above it. */
const keyOf = (item: QaIssue) =>
  `${item.file}\u0000${item.id}\u0000${item.resource ?? ''}\u0000${item.expression}\u0000${item.text}`;

function place(item: QaIssue): string {
  return `${item.file || '(IG)'}${item.line > 0 ? `:${item.line}${item.column ? `:${item.column}` : ''}` : ''}`;
}

/** The lines that say what changed between two runs' issues. */
export function changesSince(before: readonly QaIssue[], now: readonly QaIssue[]): string {
  const old = new Set(before.map(keyOf));
  const current = new Set(now.map(keyOf));
  const added = now.filter((item) => !old.has(keyOf(item)));
  const fixed = before.filter((item) => !current.has(keyOf(item)));
  const lines = [`Since the last run: ${added.length} new, ${fixed.length} fixed`];
  for (const item of added) lines.push(`  + ${place(item)}  ${item.severity}  ${item.text}  (${item.id})`);
  for (const item of fixed) lines.push(`  - ${place(item)}  ${item.severity}  ${item.text}  (${item.id})`);
  return `${lines.join('\n')}\n`;
}

/**
 * Judges, then judges again after each save under input/ or of sushi-config.yaml, until `signal`; an
 * Error when the IG's folders cannot be watched.
 */
export async function watchQa(
  root: string,
  judge: () => Promise<JudgedQa | Error>,
  io: { write: (text: string) => void; signal: AbortSignal },
): Promise<Error | undefined> {
  let previous: QaIssue[] | undefined;
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));

  const runOnce = async (): Promise<void> => {
    running = true;
    const judged = await judge();
    if (judged instanceof Error) io.write(`openimis-fhir qa: ${judged.message}\n`);
    else {
      const header = previous === undefined ? '' : changesSince(previous, judged.kept);
      io.write(`${header}${judged.output}`);
      previous = judged.kept;
    }
    io.write(`qa --watch: watching ${join(root, 'input')} and sushi-config.yaml (Ctrl-C stops)\n`);
    running = false;
    if (again && !io.signal.aborted) {
      again = false;
      await runOnce();
    }
  };
  const changed = () => {
    if (io.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) again = true;
      else void runOnce();
    }, SETTLE_MS);
  };

  let watchers: FSWatcher[];
  try {
    watchers = [
      watch(join(root, 'input'), { recursive: true }, changed),
      watch(join(root, 'sushi-config.yaml'), changed),
    ];
  } catch (error) {
    return new Error(`cannot watch ${root}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const stop = () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
    done();
  };
  if (io.signal.aborted) stop();
  else io.signal.addEventListener('abort', stop, { once: true });
  await runOnce();
  await finished;
  // A run still going when stopped is let finish: its qa.json is written whole.
  while (running) await new Promise((resolve) => setTimeout(resolve, 50));
  return undefined;
}
