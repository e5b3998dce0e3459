/**
 * The report an administrator reads after a sync: JSON (every count, every failed entry with its
 * OperationOutcome) and a self-contained HTML page in the style of the test reports. Both written
 * atomically, like the state.
 */
import { badge, escapeHtml, REPORT_STYLE } from '../runner/index.js';
import { writeAtomically } from './state.js';
import type { SyncReport } from './types.js';

export function writeSyncReport(path: string, report: SyncReport): string[] {
  const html = path.replace(/\.json$/i, '') + '.html';
  writeAtomically(path, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically(html, syncReportHtml(report));
  return [path, html];
}

export function syncReportHtml(report: SyncReport): string {
  const { counts } = report;
  const verdict = !report.completed ? 'error' : counts.failed > 0 ? 'fail' : 'pass';
  const rows = (
    [
      ['fetched', counts.fetched],
      ['created', counts.created],
      ['updated', counts.updated],
      ['unchanged', counts.unchanged],
      ['failed', counts.failed],
    ] as const
  )
    .map(([name, value]) => `<tr><th scope="row">${name}</th><td>${value}</td></tr>`)
    .join('');
  const failures = report.failures
    .map(
      (failure) =>
        `<li>${badge('fail')} <code>${escapeHtml(failure.reference)}</code> (${escapeHtml(failure.stage)}): ` +
        `${(failure.outcome.issue ?? [])
          .map((issue) =>
            escapeHtml(
              `${issue.severity}: ${issue.details?.text ?? issue.diagnostics ?? issue.code}${issue.expression ? ` @ ${issue.expression.join(', ')}` : ''}`,
            ),
          )
          .join('<br>')}` +
        `<pre>${escapeHtml(JSON.stringify(failure.outcome, null, 2))}</pre></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Facility sync ${escapeHtml(report.startedAt)}</title>
<style>${REPORT_STYLE}</style></head>
<body>
<header><h1>${badge(verdict)} Facility sync</h1>
<dl>
<dt>From</dt><dd>${escapeHtml(report.from)}</dd>
<dt>To</dt><dd>${escapeHtml(report.to)}</dd>
<dt>Mode</dt><dd>${escapeHtml(report.mode)}</dd>
<dt>Since</dt><dd>${escapeHtml(report.since ?? 'the beginning')}</dd>
<dt>Started</dt><dd>${escapeHtml(report.startedAt)}</dd>
<dt>Finished</dt><dd>${escapeHtml(report.finishedAt)}</dd>
<dt>Completed</dt><dd>${report.completed ? 'yes' : `no: ${escapeHtml(report.stopped ?? '')}`}</dd>
</dl></header>
<section aria-labelledby="counts"><h2 id="counts">Counts</h2><table>${rows}</table></section>
<section aria-labelledby="failed"><h2 id="failed">Failed entries (${report.failures.length})</h2>
${report.failures.length > 0 ? `<ul class="messages">${failures}</ul>` : '<p>None.</p>'}
</section>
</body>
</html>
`;
}
