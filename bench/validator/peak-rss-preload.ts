/**
 * Loaded with `node --import` into a process the bench measures: at exit, the main thread writes the
 * process's peak RSS (getrusage maxrss, in KB) to $BENCH_PEAK_RSS_FILE. Worker threads share the
 * process, so this one figure covers them; they load this module too (they inherit execArgv) and stay
 * silent.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const target = process.env.BENCH_PEAK_RSS_FILE;
if (isMainThread && target) {
  process.once('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
}
