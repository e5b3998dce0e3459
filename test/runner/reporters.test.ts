import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  createConsoleReporter,
  shouldUseColor,
  toJson,
  writeReports,
  type ConsoleReporter,
} from '../../harness/runner/reporters/index.js';
import type { RunEvent, RunResult } from '../../harness/runner/types.js';
import { emptyRun, infrastructureRun, mixedRun, step } from '../support/run-results.js';

function capture(color?: boolean): { reporter: ConsoleReporter; output: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const reporter = createConsoleReporter(stream, color === undefined ? {} : { color });
  return { reporter, output: () => text };
}

/** The events the engine would send for a run. */
function eventsOf(result: RunResult): RunEvent[] {
  const events: RunEvent[] = [
    { kind: 'run-started', runId: result.runId, target: result.target, scenarios: result.scenarios },
  ];
  for (const scenario of result.scenarios) {
    events.push({ kind: 'scenario-started', scenario: { id: scenario.id, title: scenario.title } });
    for (const one of scenario.steps)
      events.push({ kind: 'step-finished', scenarioId: scenario.id, step: one });
    events.push({ kind: 'scenario-finished', scenario });
  }
  events.push({ kind: 'run-finished', result });
  return events;
}

const ESCAPE = String.fromCharCode(27);

describe('console reporter', () => {
  it('prints a line per step and a summary table in plain text', () => {
    const { reporter, output } = capture(false);
    const result = mixedRun();
    for (const event of eventsOf(result)) reporter.onEvent(event);
    reporter.summary(result);
    const text = output();
    expect(text).not.toContain(ESCAPE);
    expect(text).toContain('Testing http://localhost:8080/fhir with 5 scenarios (run r1a2b3)');
    expect(text).toMatch(/^ {2}PASS {2}setup\/create-patient {2}Create a patient to read \(15 ms\)$/m);
    expect(text).toMatch(
      /^ {2}WARN {2}etag {2}Server sends an ETag \(15 ms\) — expected header ETag, found none$/m,
    );
    // Only the first line of a message.
    expect(text).toMatch(/^ {2}ERROR history-instance .* — request timed out after 30000 ms$/m);
    expect(text).toContain(
      '=> SKIP subscriptions (250 ms) — the target does not declare Subscription:create',
    );
    const table = text.slice(text.indexOf('scenario  '));
    expect(table).toMatch(/^rest-baseline +3 +0 +1 +0 +0 +WARN$/m);
    expect(table).toMatch(/^validation +1 +1 +0 +0 +0 +FAIL$/m);
    expect(table).toMatch(/^subscriptions +0 +0 +0 +0 +0 +SKIP$/m);
    expect(table).toMatch(/^total +6 +1 +1 +2 +1 +ERROR$/m);
    expect(text).toContain(
      'Clean-up could not delete 1:\n  Patient/2: expected status 200 or 204, found 409',
    );
    expect(text).toContain('ERROR 5 scenarios: 1 passed, 1 failed, 1 warning, 1 skipped, 1 error in 1.2 s');
  });

  it('uses colours and symbols when asked', () => {
    const { reporter, output } = capture(true);
    reporter.onEvent({
      kind: 'step-finished',
      scenarioId: 'x',
      step: step('a', 'fail', { messages: ['boom'] }),
    });
    expect(output()).toContain(`${ESCAPE}[31m✗${ESCAPE}[0m`);
  });

  it('names the scenario of a step that interleaves with another (parallel runs)', () => {
    const { reporter, output } = capture(false);
    reporter.onEvent({ kind: 'scenario-started', scenario: { id: 'one', title: 'One' } });
    reporter.onEvent({ kind: 'scenario-started', scenario: { id: 'two', title: 'Two' } });
    reporter.onEvent({ kind: 'step-finished', scenarioId: 'one', step: step('a', 'pass') });
    reporter.onEvent({ kind: 'step-finished', scenarioId: 'two', step: step('b', 'pass') });
    expect(output()).toContain('PASS  one › a');
    expect(output()).toMatch(/PASS {2}b {2}Step b/);
  });

  it('strips terminal control sequences from server-supplied text', () => {
    const { reporter, output } = capture(false);
    reporter.onEvent({
      kind: 'step-finished',
      scenarioId: 'x',
      step: step('a', 'fail', { messages: [`found ${ESCAPE}[2J${ESCAPE}]0;title\u0007 garbage`] }),
    });
    expect(output()).not.toContain(ESCAPE);
    expect(output()).not.toContain('\u0007');
  });

  it('says so when nothing ran, and reports an infrastructure error', () => {
    const empty = capture(false);
    empty.reporter.summary(emptyRun());
    expect(empty.output()).toContain('SKIP no scenario ran');
    const broken = capture(false);
    broken.reporter.summary(infrastructureRun());
    expect(broken.output()).toContain(
      'Infrastructure error: cannot read http://localhost:8080/fhir/metadata',
    );
    expect(broken.output()).toContain('ERROR no scenario ran');
  });

  it('decides on colour from NO_COLOR, FORCE_COLOR and the TTY', () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const pipe = new PassThrough();
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(pipe, {})).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: '' })).toBe(true);
  });
});

describe('json reporter', () => {
  it('round-trips the run with sorted keys and masked credentials', () => {
    const result = mixedRun();
    const text = toJson(result);
    const parsed = JSON.parse(text) as RunResult;
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed.scenarios).toHaveLength(5);
    expect(parsed.scenarios[1]?.steps[0]?.exchanges[0]?.response?.body).toContain('</script>');
    expect(text).not.toContain('s3cr3t-token');
    expect(parsed.scenarios[0]?.steps[0]?.exchanges[0]?.request.headers.authorization).toBe(
      'Bearer [redacted]',
    );
    expect(parsed.cleanup.failed[0]?.exchange?.request.headers.authorization).toBe('Bearer [redacted]');
    // The input is left as it was.
    expect(result.scenarios[0]?.steps[0]?.exchanges[0]?.request.headers.authorization).toBe(
      'Bearer s3cr3t-token',
    );
  });

  it('writes a large body met again once: later exchanges point at it with bodySameAs', () => {
    const result = mixedRun();
    const big = JSON.stringify({ resourceType: 'CapabilityStatement', padding: 'seen-once'.repeat(600) });
    const small = '{"resourceType":"Patient"}';
    const [first, second] = [result.scenarios[0]!.steps[0]!, result.scenarios[1]!.steps[0]!];
    first.exchanges[0]!.response!.body = big;
    second.exchanges[0]!.response!.body = big;
    first.exchanges[0]!.request.body = small;
    second.exchanges[0]!.request.body = small;
    const text = toJson(result);
    expect(text.split('seen-once').length - 1).toBe(600);
    const parsed = JSON.parse(text) as Record<string, unknown> & RunResult;
    const repeat = parsed.scenarios[1]!.steps[0]!.exchanges[0]!.response as Record<string, unknown>;
    expect(repeat.body).toBeUndefined();
    // The pointer leads to the body it repeats.
    const target = (repeat.bodySameAs as string)
      .split('/')
      .slice(1)
      .reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], parsed);
    expect(target).toBe(big);
    // Small bodies stay where they are.
    expect(parsed.scenarios[1]!.steps[0]!.exchanges[0]!.request.body).toBe(small);
  });

  it('does not depend on the order keys were set in', () => {
    const reverseKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reverseKeys);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([key, inner]) => [key, reverseKeys(inner)]),
      );
    };
    const result = mixedRun();
    expect(toJson(reverseKeys(result) as RunResult)).toBe(toJson(result));
    expect(toJson(result).endsWith('}\n')).toBe(true);
  });
});

describe('writeReports', () => {
  it('writes every format into a new folder and returns the paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reporters-'));
    try {
      const target = join(dir, 'nested', 'reports');
      const paths = await writeReports(mixedRun(), {
        dir: target,
        formats: ['json', 'junit', 'testreport', 'html'],
      });
      expect(paths.map((path) => basename(path))).toEqual([
        'run.json',
        'junit.xml',
        'testreport-rest-baseline.json',
        'testreport-validation.json',
        'testreport-subscriptions.json',
        'testreport-history.json',
        'testreport-batch.json',
        'report.html',
      ]);
      for (const path of paths) expect((await readFile(path, 'utf8')).length).toBeGreaterThan(0);
      const report = JSON.parse(
        await readFile(join(target, 'testreport-validation.json'), 'utf8'),
      ) as fhir4.TestReport;
      expect(report.result).toBe('fail');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes only what is asked, and one TestReport for an infrastructure failure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reporters-'));
    try {
      const paths = await writeReports(infrastructureRun(), { dir, formats: ['testreport'] });
      expect(paths.map((path) => basename(path))).toEqual(['testreport-infrastructure.json']);
      expect(await writeReports(emptyRun(), { dir, formats: [] })).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
