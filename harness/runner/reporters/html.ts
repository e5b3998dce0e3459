/**
 * The report a person reads: one self-contained HTML page (inline CSS, a little inline JS, no external
 * asset, no network). Everything from the run is escaped: bodies and messages come from the server under
 * test, which must not be able to inject markup or script into the page. A Content-Security-Policy that
 * allows only our own script (by hash) and no network at all backs the escaping up.
 */
import { createHash } from 'node:crypto';
import type { Outcome, RunResult, ScenarioResult, StepResult } from '../types.js';
import { escapeHtml, exchangeBlock, exchangeLine, type BodyFiles } from './html-exchanges.js';
import {
  countScenarios,
  countSteps,
  firstLine,
  formatDuration,
  OUTCOME_LABEL,
  OUTCOMES,
  runErrorLabel,
  runOutcome,
  safeName,
  totalStepCounts,
  type OutcomeCounts,
} from './summary.js';

export { BodyFiles, escapeHtml } from './html-exchanges.js';

const BADGE: Record<Outcome, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warning: 'WARN',
  skip: 'SKIP',
  error: 'ERROR',
};

export function badge(outcome: Outcome): string {
  return `<span class="badge badge-${outcome}">${BADGE[outcome]}</span>`;
}

/** Colours with at least 4.5:1 contrast against white, as text and as badge backgrounds. */
const COLOR: Record<Outcome, string> = {
  pass: '#1a7f37',
  fail: '#cf222e',
  warning: '#9a6700',
  skip: '#57606a',
  error: '#8250df',
};

/** The stylesheet of the HTML reports (the sync report shares it). */
export const REPORT_STYLE = `
.status-plain { font-weight: 600; }
p.exchange-line { margin: 0.2rem 0; font-size: 0.85rem; overflow-wrap: anywhere; }
.truncated { font-size: 0.85rem; color: #57606a; margin: 0.25rem 0 0.75rem; }
section.problems { border: 2px solid #cf222e; border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; }
section.problems ul { margin: 0.5rem 0; padding-left: 1rem; list-style: none; }
section.problems li { margin: 0.2rem 0; }
.problem-message { color: #57606a; font-size: 0.9rem; }
details.step-details > summary { cursor: pointer; color: #57606a; font-size: 0.9rem; }
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; line-height: 1.5; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.3rem; margin: 0; }
h3 { font-size: 1.05rem; margin: 0; display: inline; }
h4 { font-size: 0.95rem; margin: 0.75rem 0 0.25rem; }
header dl, .meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5rem 0.75rem; overflow: auto; max-height: 32rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.badge { display: inline-block; min-width: 3.2rem; text-align: center; border-radius: 999px; padding: 0 0.5rem; color: #fff; font-weight: 700; font-size: 0.8rem; letter-spacing: 0.03em; }
${OUTCOMES.map((outcome) => `.badge-${outcome} { background: ${COLOR[outcome]}; }`).join('\n')}
.alert { border: 2px solid ${COLOR.error}; border-radius: 6px; padding: 0.75rem 1rem; margin: 1rem 0; }
.summary { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
table { border-collapse: collapse; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.25rem 0.6rem; text-align: left; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
.scenario { border: 1px solid #d0d7de; border-radius: 8px; padding: 1rem 1.25rem; margin: 1.5rem 0; }
.scenario > header { display: flex; gap: 0.75rem; align-items: baseline; flex-wrap: wrap; }
.id { color: #57606a; font-family: ui-monospace, monospace; font-size: 0.85rem; }
ol.steps { list-style: none; padding: 0; margin: 1rem 0 0; }
li.step { border-top: 1px solid #d8dee4; padding: 0.6rem 0; }
.step-head { display: flex; gap: 0.6rem; align-items: baseline; flex-wrap: wrap; }
.duration { color: #57606a; font-size: 0.85rem; }
blockquote { margin: 0.4rem 0; padding: 0 0.75rem; border-left: 3px solid #d0d7de; color: #424a53; }
ul.messages { margin: 0.4rem 0; padding-left: 1.25rem; }
.severity-fatal, .severity-error { color: ${COLOR.fail}; font-weight: 600; }
.severity-warning { color: ${COLOR.warning}; font-weight: 600; }
.severity-information { color: #0969da; font-weight: 600; }
details.exchange { border: 1px solid #d0d7de; border-radius: 6px; margin: 0.4rem 0; padding: 0.25rem 0.75rem; }
details.exchange > summary { cursor: pointer; font-family: ui-monospace, monospace; font-size: 0.85rem; overflow-wrap: anywhere; }
.status-ok { color: ${COLOR.pass}; } .status-bad { color: ${COLOR.fail}; }
.toolbar { display: flex; gap: 0.75rem; align-items: center; margin: 1rem 0; }
button { font: inherit; padding: 0.2rem 0.7rem; border: 1px solid #8c959f; border-radius: 6px; background: #f6f8fa; color: #1f2328; cursor: pointer; }
:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
body.problems-only li.step.outcome-pass, body.problems-only li.step.outcome-skip,
body.problems-only section.scenario.outcome-pass, body.problems-only section.scenario.outcome-skip { display: none; }
`;

/** Folds and filters; the page reads the same without it. */
const SCRIPT = `(() => {
  const toolbar = document.getElementById('toolbar');
  if (!toolbar) return;
  toolbar.hidden = false;
  const setAll = (open) => {
    for (const element of document.querySelectorAll('details.exchange')) element.open = open;
  };
  document.getElementById('expand-all').addEventListener('click', () => setAll(true));
  document.getElementById('collapse-all').addEventListener('click', () => setAll(false));
  document.getElementById('problems-only').addEventListener('change', (event) => {
    document.body.classList.toggle('problems-only', event.target.checked);
  });
})();`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

const CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// ------------------------------------------------------------------ the chart

/** A horizontal bar chart of step outcomes, with numbers and labels, readable without colour. */
function chart(counts: OutcomeCounts): string {
  const labelWidth = 80;
  const barSpace = 300;
  const rowHeight = 30;
  const max = Math.max(1, ...OUTCOMES.map((outcome) => counts[outcome]));
  const description = OUTCOMES.map((outcome) => `${counts[outcome]} ${OUTCOME_LABEL[outcome]}`).join(', ');
  const rows = OUTCOMES.map((outcome, index) => {
    const y = index * rowHeight;
    const width = counts[outcome] === 0 ? 0 : Math.max(2, Math.round((counts[outcome] / max) * barSpace));
    return [
      `<text x="${labelWidth - 8}" y="${y + 20}" text-anchor="end">${escapeHtml(OUTCOME_LABEL[outcome])}</text>`,
      `<rect x="${labelWidth}" y="${y + 6}" width="${width}" height="18" rx="3" fill="${COLOR[outcome]}"></rect>`,
      `<text x="${labelWidth + width + 6}" y="${y + 20}">${counts[outcome]}</text>`,
    ].join('');
  }).join('\n');
  const height = OUTCOMES.length * rowHeight;
  return `<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" width="${labelWidth + barSpace + 50}" height="${height}" viewBox="0 0 ${labelWidth + barSpace + 50} ${height}" font-size="14" fill="#1f2328">
<title id="chart-title">Steps by outcome</title>
<desc id="chart-desc">${escapeHtml(description)}</desc>
${rows}
</svg>`;
}

// ------------------------------------------------------------------ messages and validation issues

interface Issue {
  severity: string;
  id?: string;
  expression?: string;
  text: string;
}

interface MessageParts {
  text: string;
  issues: Issue[];
  details: string[];
}

/** `[STRUCT_X] Patient.name[0]: text`: an issue as the `valid()` expectation quotes it. */
const QUOTED_ISSUE = /^\[([^\]\s]+)\] (?:([A-Z][A-Za-z]*(?:[.[][^\s:]*)?): )?(.*)$/s;
/** `error Patient.name: text` or `- warning: text`: an issue on a line of its own. */
const ISSUE_LINE = /^\s*(?:[-*•]\s*)?(fatal|error|warning|information)\b[\s:]\s*(.*)$/i;

function quotedIssue(item: string, severity: string): Issue {
  const match = QUOTED_ISSUE.exec(item.trim());
  if (!match) return { severity, text: item.trim() };
  return {
    severity,
    ...(match[1] ? { id: match[1] } : {}),
    ...(match[2] ? { expression: match[2] } : {}),
    text: match[3] ?? '',
  };
}

/**
 * A message's first line is the finding and the lines after it details. Validation issues in it become a
 * table: those the `valid()` expectation quotes after "found N errors:" (`[id] expression: text`, `; `
 * apart), and lines that start with a severity.
 */
function splitMessage(message: string): MessageParts {
  const [first = '', ...rest] = message.split(/\r?\n/);
  const parts: MessageParts = { text: first, issues: [], details: [] };
  const quoted = /^(.*?\bfound \d+ (?:errors?|issues?)): (\[.*)$/.exec(first);
  if (quoted) {
    let list = quoted[2] ?? '';
    const more = /; and (\d+) more$/.exec(list);
    if (more) list = list.slice(0, more.index);
    parts.text = `${quoted[1] ?? ''}${more ? ` (${more[1] ?? ''} more not shown)` : ''}`;
    parts.issues.push(...list.split(/; (?=\[)/).map((item) => quotedIssue(item, 'error')));
  }
  for (const line of rest) {
    if (line.trim() === '') continue;
    const match = ISSUE_LINE.exec(line);
    if (match) parts.issues.push(quotedIssue(match[2] ?? '', (match[1] ?? '').toLowerCase()));
    else parts.details.push(line.trim());
  }
  return parts;
}

function issuesTable(issues: readonly Issue[]): string {
  const rows = issues
    .map(
      (issue) =>
        `<tr><td class="severity-${escapeHtml(issue.severity)}">${escapeHtml(issue.severity)}</td><td><code>${escapeHtml(issue.expression ?? '')}</code></td><td>${escapeHtml(issue.text)}</td><td><code>${escapeHtml(issue.id ?? '')}</code></td></tr>`,
    )
    .join('');
  return `<table class="issues"><caption>Validation issues</caption><thead><tr><th scope="col">Severity</th><th scope="col">Location</th><th scope="col">Issue</th><th scope="col">Id</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function messageItem(message: string): string {
  const parts = splitMessage(message);
  const html = [escapeHtml(parts.text)];
  if (parts.details.length > 0) {
    html.push(`<ul>${parts.details.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`);
  }
  if (parts.issues.length > 0) html.push(issuesTable(parts.issues));
  return `<li>${html.join('')}</li>`;
}

function messages(list: readonly string[]): string {
  return list.length === 0 ? '' : `<ul class="messages">${list.map(messageItem).join('')}</ul>`;
}

// ------------------------------------------------------------------ exchanges

// ------------------------------------------------------------------ scenarios and steps

function stepItem(step: StepResult, anchor: string, files?: BodyFiles): string {
  const phase = step.phase === 'step' ? '' : ` <span class="id">${escapeHtml(step.phase)}</span>`;
  const level = step.level === 'SHOULD' ? ' <span class="id">SHOULD</span>' : '';
  const details = [
    step.says ? `<blockquote>${escapeHtml(step.says)}</blockquote>` : '',
    messages(step.messages),
    ...step.exchanges.map((exchange) =>
      // A passed step's exchanges are one line each, the whole exchange in a file beside the report.
      files && step.outcome === 'pass'
        ? exchangeLine(exchange, files)
        : exchangeBlock(exchange, files, step.outcome === 'fail' || step.outcome === 'error'),
    ),
  ].filter((part) => part !== '');
  // A passed step is folded: what it checked and sent is there when asked for, out of the way otherwise.
  const body =
    step.outcome === 'pass' && details.length > 0
      ? [`<details class="step-details"><summary>What it checked</summary>`, ...details, '</details>']
      : details;
  return [
    `<li class="step outcome-${step.outcome}" id="${escapeHtml(anchor)}">`,
    `<div class="step-head">${badge(step.outcome)} <h3>${escapeHtml(step.title)}</h3> <span class="id">${escapeHtml(step.id)}</span>${phase}${level} <span class="duration">${escapeHtml(formatDuration(step.durationMs))}</span></div>`,
    ...body,
    '</li>',
  ].join('\n');
}

function requirementLink(url: string): string {
  const text = escapeHtml(url);
  return /^https?:\/\/\S+$/i.test(url) ? `<a href="${text}">${text}</a>` : text;
}

function countsCells(counts: OutcomeCounts): string {
  return OUTCOMES.map((outcome) => `<td class="number">${counts[outcome]}</td>`).join('');
}

function scenarioSection(
  scenario: ScenarioResult,
  anchor: string,
  anchors: Map<StepResult, string>,
  files?: BodyFiles,
): string {
  const parts = [
    `<section class="scenario outcome-${scenario.outcome}" id="${escapeHtml(anchor)}" aria-labelledby="${escapeHtml(anchor)}-title">`,
    `<header>${badge(scenario.outcome)} <h2 id="${escapeHtml(anchor)}-title">${escapeHtml(scenario.title)}</h2> <span class="id">${escapeHtml(scenario.id)}</span> <span class="duration">${escapeHtml(formatDuration(scenario.durationMs))}</span></header>`,
  ];
  if (scenario.description) parts.push(`<p>${escapeHtml(scenario.description)}</p>`);
  if (scenario.tags.length > 0)
    parts.push(`<p>Tags: ${scenario.tags.map((tag) => `<code>${escapeHtml(tag)}</code>`).join(' ')}</p>`);
  if (scenario.requirements.length > 0) {
    parts.push(
      `<p>Requirements:</p><ul>${scenario.requirements.map((url) => `<li>${requirementLink(url)}</li>`).join('')}</ul>`,
    );
  }
  if (scenario.messages.length > 0) parts.push(messages(scenario.messages));
  if (scenario.steps.length > 0) {
    parts.push(
      `<ol class="steps">${scenario.steps.map((step) => stepItem(step, anchors.get(step) ?? '', files)).join('\n')}</ol>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** Unique, safe id attributes for scenarios and steps. */
function anchorMaker(): (name: string) => string {
  const used = new Set<string>();
  return (name) => {
    const base = safeName(name);
    let anchor = base;
    for (let index = 2; used.has(anchor); index += 1) anchor = `${base}-${index}`;
    used.add(anchor);
    return anchor;
  };
}

function summaryTable(result: RunResult, anchors: Map<ScenarioResult, string>): string {
  if (result.scenarios.length === 0) return '<p>No scenario ran.</p>';
  const head = OUTCOMES.map(
    (outcome) => `<th scope="col" class="number">${escapeHtml(OUTCOME_LABEL[outcome])}</th>`,
  ).join('');
  const rows = result.scenarios
    .map(
      (scenario) =>
        `<tr><th scope="row"><a href="#${escapeHtml(anchors.get(scenario) ?? '')}">${escapeHtml(scenario.title)}</a></th><td>${badge(scenario.outcome)}</td>${countsCells(countSteps(scenario.steps))}</tr>`,
    )
    .join('\n');
  const totals = `<tr><th scope="row">Total</th><td>${badge(runOutcome(result))}</td>${countsCells(totalStepCounts(result))}</tr>`;
  return `<table class="scenarios"><caption>Steps per scenario</caption><thead><tr><th scope="col">Scenario</th><th scope="col">Outcome</th>${head}</tr></thead><tbody>\n${rows}\n</tbody><tfoot>${totals}</tfoot></table>`;
}

function headerBlock(result: RunResult): string {
  const rows: [string, string][] = [
    [
      'Target',
      `<code>${escapeHtml(result.target)}</code>${result.bundledServer ? ' (bundled reference server)' : ''}`,
    ],
    ['Date', `<time datetime="${escapeHtml(result.startedAt)}">${escapeHtml(result.startedAt)}</time>`],
    ['Duration', escapeHtml(formatDuration(result.durationMs))],
    ['Tool', escapeHtml(`${result.tool.name} ${result.tool.version}`)],
    ['Implementation Guide', escapeHtml(`${result.ig.packageId}#${result.ig.version}`)],
  ];
  if (result.software !== undefined) rows.push(['Server software', escapeHtml(result.software)]);
  rows.push(['Run', `<code>${escapeHtml(result.runId)}</code>`]);
  // Older run.json files (read back by users) may lack these two.
  if (result.capabilityMode !== undefined)
    rows.push(['Capabilities', escapeHtml(capabilityModeText[result.capabilityMode])]);
  for (const use of result.inputs ?? [])
    rows.push([
      `Input <code>${escapeHtml(use.name)}</code>`,
      use.value === undefined
        ? '<em>not given</em>'
        : `<code>${escapeHtml(use.value)}</code>${use.source === 'default' ? ' (default)' : ''}`,
    ]);
  return `<dl>${rows.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

const capabilityModeText: Record<RunResult['capabilityMode'], string> = {
  declared: 'declared: what the target does not declare is skipped',
  ignore: 'ignore: every step runs, whatever the target declares',
  strict: 'strict: what the target does not declare fails',
};

/** The failed and errored steps first, each linked to where it is, with its first message. */
function problemsSection(result: RunResult, anchors: Map<StepResult, string>): string {
  const problems = result.scenarios.flatMap((scenario) =>
    scenario.steps
      .filter((step) => step.outcome === 'fail' || step.outcome === 'error')
      .map((step) => ({ scenario, step })),
  );
  if (problems.length === 0) return '';
  const items = problems.map(
    ({ scenario, step }) =>
      `<li class="outcome-${step.outcome}">${badge(step.outcome)} <a href="#${escapeHtml(anchors.get(step) ?? '')}">${escapeHtml(scenario.title)} › ${escapeHtml(step.title)}</a>` +
      (step.messages[0]
        ? ` <span class="problem-message">${escapeHtml(firstLine(step.messages[0]))}</span>`
        : '') +
      '</li>',
  );
  return `<section class="problems" aria-labelledby="problems-title">
<h2 id="problems-title">Problems (${problems.length})</h2>
<ul>${items.join('\n')}</ul>
</section>`;
}

/** The CapabilityStatement read the plan came from, folded like any exchange. */
function capabilitiesSection(result: RunResult, files?: BodyFiles): string {
  if (!result.capabilities) return '';
  const note = result.capabilities.note ? `<p>${escapeHtml(result.capabilities.note)}</p>` : '';
  return `<section aria-labelledby="capabilities-title">
<h2 id="capabilities-title">Capabilities</h2>
${note}
${exchangeBlock(result.capabilities.exchange, files)}
</section>`;
}

/** What the end-of-run deletion did. */
function cleanupSection(result: RunResult): string {
  const { cleanup } = result;
  const parts: string[] = [];
  if (cleanup.kept) {
    parts.push(`<p>Kept (not deleted): ${cleanup.remaining.length} resources.</p>`);
    if (cleanup.remaining.length > 0) {
      parts.push(
        `<ul>${cleanup.remaining.map((reference) => `<li><code>${escapeHtml(reference)}</code></li>`).join('')}</ul>`,
      );
    }
  } else {
    parts.push(
      `<p>Deleted ${cleanup.deleted.length} resources; ${cleanup.failed.length} could not be deleted.</p>`,
    );
    if (cleanup.undeletable.length > 0)
      parts.push(
        `<p>Left ${cleanup.undeletable.length} resources of types the target declares no delete for: ${cleanup.undeletable.map((reference) => `<code>${escapeHtml(reference)}</code>`).join(', ')}.</p>`,
      );
  }
  if (cleanup.failed.length > 0) {
    const items = cleanup.failed
      .map(
        (failure) =>
          `<li>${badge('warning')} <code>${escapeHtml(failure.reference)}</code>: ${escapeHtml(failure.message)}${failure.exchange ? exchangeBlock(failure.exchange) : ''}</li>`,
      )
      .join('\n');
    parts.push(`<ul class="messages">${items}</ul>`);
  }
  if (
    !cleanup.kept &&
    cleanup.deleted.length === 0 &&
    cleanup.failed.length === 0 &&
    cleanup.undeletable.length === 0
  )
    return '';
  return `<section aria-labelledby="cleanup-title">
<h2 id="cleanup-title">Clean-up</h2>
${parts.join('\n')}
</section>`;
}

/**
 * The report as one HTML page. With `files`, bodies over its size are shown cut, whole in a file beside
 * the report (writeReports writes them); without, every body is inline.
 */
export function toHtml(result: RunResult, files?: BodyFiles): string {
  const outcome = runOutcome(result);
  const nextAnchor = anchorMaker();
  const scenarioAnchors = new Map<ScenarioResult, string>();
  const stepAnchors = new Map<StepResult, string>();
  for (const scenario of result.scenarios) {
    scenarioAnchors.set(scenario, nextAnchor(`scenario-${scenario.id}`));
    for (const step of scenario.steps)
      stepAnchors.set(step, nextAnchor(`step-${scenario.id}-${step.phase}-${step.id}`));
  }
  const scenarios = result.scenarios.map((scenario) =>
    scenarioSection(scenario, scenarioAnchors.get(scenario) ?? '', stepAnchors, files),
  );
  const scenarioCounts = countScenarios(result);
  const scenarioLine = OUTCOMES.filter((key) => scenarioCounts[key] > 0)
    .map((key) => `${scenarioCounts[key]} ${OUTCOME_LABEL[key]}`)
    .join(', ');
  const infrastructure =
    result.infrastructureError !== undefined
      ? `<div class="alert" role="alert"><strong>${runErrorLabel(result)}:</strong> ${escapeHtml(result.infrastructureError)}</div>`
      : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${BADGE[outcome]} · ${result.tool.name} report · ${result.target}`)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>${badge(outcome)} Conformance report</h1>
${headerBlock(result)}
</header>
<main>
${infrastructure}
<section aria-labelledby="summary-title">
<h2 id="summary-title">Summary</h2>
<p>${result.scenarios.length} ${result.scenarios.length === 1 ? 'scenario' : 'scenarios'}${scenarioLine ? `: ${scenarioLine}` : ''}.</p>
<div class="summary">
${chart(totalStepCounts(result))}
${summaryTable(result, scenarioAnchors)}
</div>
</section>
${problemsSection(result, stepAnchors)}
<div class="toolbar" id="toolbar" hidden>
<button type="button" id="expand-all">Expand all exchanges</button>
<button type="button" id="collapse-all">Collapse all exchanges</button>
<label><input type="checkbox" id="problems-only"> Show only problems</label>
</div>
${scenarios.join('\n')}
${capabilitiesSection(result, files)}
${cleanupSection(result)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
