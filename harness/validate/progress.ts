/**
 * A progress line on stderr for long runs: shown only on a terminal, and only once the run has taken
 * more than 2 s (short runs stay quiet). Redrawn at most every 100 ms, driven by the results themselves
 * (no timer to keep the process alive), and erased at the end so the summary starts on a clean line.
 */

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  /** false: the text is queued, wait for 'drain' before writing much more. */
  write(text: string): boolean;
  writableNeedDrain?: boolean;
  once?(event: 'drain', listener: () => void): unknown;
}

export interface Progress {
  update(resources: number, bytes: number): void;
  /** Erases the line, so other output starts clean (it is drawn again on the next update). */
  clear(): void;
  finish(): void;
}

const QUIET: Progress = { update() {}, clear() {}, finish() {} };
const DELAY_MS = 2000;
const REDRAW_MS = 100;
const BAR = 24;

export function createProgress(stream: ProgressStream, totalBytes: number | undefined): Progress {
  if (!stream.isTTY) return QUIET;
  const started = performance.now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(resources, bytes) {
      const now = performance.now();
      if (now - started < DELAY_MS || now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      const rate = Math.round((resources * 1000) / (now - started));
      let line = `${resources.toLocaleString('en-US')} resources, ${rate.toLocaleString('en-US')}/s`;
      if (totalBytes) {
        const share = Math.min(0.999, bytes / totalBytes);
        const filled = Math.round(share * BAR);
        line = `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${line}`;
      }
      stream.write(`\r${line.slice(0, (stream.columns ?? 80) - 1)}\u001b[K`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
    finish() {
      this.clear();
    },
  };
}
