/**
 * Processes that end together. A command started by another process stops when that process is gone. `npm start` runs the test
 * command through a shell: stopping npm leaves the shell's child running (nothing forwards the signal),
 * and with it the bundled server. The watchdog notices that the parent changed (this process was handed
 * to init or a subreaper) and sends this process SIGTERM, so its own handlers run (a server closes, a
 * child process is stopped) as on any other stop.
 *
 * One-shot commands (build, qa, test, validate) keep a watchdog; `serve` and a scheduled `sync` do not:
 * started with nohup or as a service, outliving their parent is what is wanted of them.
 */

const CHECK_EVERY_MS = 1_000;

/** Watches the parent from now on; the check never keeps the process alive. */
export function stopWithParent(): void {
  const parent = process.ppid;
  // Started by init (a container's entry point, a service manager): there is no parent to lose.
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.stderr.write(
      `openimis-fhir: the process that started this one (${parent}) has ended; stopping\n`,
    );
    process.kill(process.pid, 'SIGTERM');
  }, CHECK_EVERY_MS);
  timer.unref();
}

/**
 * Stops `child` when this process is told to stop (SIGINT, SIGTERM), then stops as that signal would:
 * a child process never outlives the command that started it. Returns what undoes the forwarding, for
 * when the child has ended.
 */
export function forwardStopSignals(child: { kill(signal: NodeJS.Signals): boolean }): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      child.kill(signal);
      undo();
      process.kill(process.pid, signal);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  const undo = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
  return undo;
}
