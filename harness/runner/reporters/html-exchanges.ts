/**
 * How the HTML report shows HTTP exchanges: a failed step's folded in full (headers, bodies cut past a
 * size with a link to the whole), a passed step's as one line linking to the whole exchange; the whole
 * texts go to files beside the report, one per distinct text (BodyFiles). And the escaping every part of
 * the report uses.
 */
import { createHash } from 'node:crypto';
import type { Exchange } from '../types.js';
import { formatBody, redactExchange } from './exchanges.js';
import { formatDuration } from './summary.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;

/** Text for HTML content or a quoted attribute: markup characters escaped, control characters dropped. */
export function escapeHtml(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function headersTable(headers: Record<string, string>): string {
  const entries = Object.entries(headers);
  if (entries.length === 0) return '<p>No headers.</p>';
  const rows = entries
    .map(
      ([name, value]) =>
        `<tr><th scope="row"><code>${escapeHtml(name)}</code></th><td><code>${escapeHtml(value)}</code></td></tr>`,
    )
    .join('');
  return `<table class="headers"><tbody>${rows}</tbody></table>`;
}

/**
 * Bodies too large to show whole: each goes to a file beside the report (one file per distinct body, so
 * a CapabilityStatement read by several steps is written once), and the report shows its beginning with
 * a link to it. Keeps report.html small enough to open on any machine.
 */
export class BodyFiles {
  /** File name (relative to the report) to content. */
  readonly files = new Map<string, string>();

  constructor(readonly shownChars = 2_048) {}

  /** The file the body is in, written once per distinct body. */
  place(text: string, json: boolean): string {
    const name = `bodies/${createHash('sha256').update(text).digest('hex').slice(0, 16)}.${json ? 'json' : 'txt'}`;
    if (!this.files.has(name)) this.files.set(name, text);
    return name;
  }
}

function bodyBlock(body: string | undefined, headers: Record<string, string>, files?: BodyFiles): string {
  if (body === undefined || body === '') return '<p>No body.</p>';
  const formatted = formatBody(body, headers);
  const language = formatted.json ? ' class="language-json"' : '';
  if (!files || formatted.text.length <= files.shownChars)
    return `<pre><code${language}>${escapeHtml(formatted.text)}</code></pre>`;
  const file = files.place(formatted.text, formatted.json);
  const kib = (chars: number) => `${Math.ceil(chars / 1024).toLocaleString('en-US')} KB`;
  return (
    `<pre><code${language}>${escapeHtml(formatted.text.slice(0, files.shownChars))}\n…</code></pre>` +
    `<p class="truncated">The first ${kib(files.shownChars)} of ${kib(formatted.text.length)}: ` +
    `<a href="${escapeHtml(file)}">the whole body</a>.</p>`
  );
}

/**
 * One exchange, folded. Its status is green only when the step it belongs to passed: a 201 where the
 * step wanted 200 is part of a failure, not a success.
 */
export function exchangeBlock(original: Exchange, files?: BodyFiles, stepFailed = false): string {
  const exchange = redactExchange(original);
  const { request, response } = exchange;
  const statusClass =
    !response || response.status >= 400 ? 'status-bad' : stepFailed ? 'status-plain' : 'status-ok';
  const status = response
    ? `<span class="${statusClass}">${response.status}</span> · ${escapeHtml(formatDuration(response.durationMs))}`
    : `<span class="status-bad">no response</span>`;
  const parts = [
    `<details class="exchange"><summary>${escapeHtml(request.method)} ${escapeHtml(request.url)} → ${status}</summary>`,
    '<h4>Request</h4>',
    headersTable(request.headers),
    bodyBlock(request.body, request.headers, files),
    '<h4>Response</h4>',
  ];
  if (exchange.error !== undefined)
    parts.push(`<p class="severity-error">Transport failure: ${escapeHtml(exchange.error)}</p>`);
  if (response) parts.push(headersTable(response.headers), bodyBlock(response.body, response.headers, files));
  else if (exchange.error === undefined) parts.push('<p>No response.</p>');
  parts.push('</details>');
  return parts.join('\n');
}

/** An exchange as text: request line, headers and body, then the response's. */
function exchangeText(exchange: Exchange): string {
  const lines = (headers: Record<string, string>) =>
    Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  const { request, response } = exchange;
  const parts = [`${request.method} ${request.url}`, ...lines(request.headers), ''];
  if (request.body) parts.push(formatBody(request.body, request.headers).text, '');
  if (exchange.error !== undefined) parts.push(`transport failure: ${exchange.error}`);
  if (response) {
    parts.push(`${response.status} (${formatDuration(response.durationMs)})`, ...lines(response.headers), '');
    if (response.body) parts.push(formatBody(response.body, response.headers).text);
  }
  return `${parts.join('\n')}\n`;
}

/** One line for an exchange of a passed step, linking to the whole of it in a file beside the report. */
export function exchangeLine(original: Exchange, files: BodyFiles): string {
  const exchange = redactExchange(original);
  const { request, response } = exchange;
  const status = response ? `${response.status} · ${formatDuration(response.durationMs)}` : 'no response';
  const file = files.place(exchangeText(exchange), false);
  return `<p class="exchange-line"><code>${escapeHtml(request.method)} ${escapeHtml(request.url)}</code> → ${escapeHtml(status)} · <a href="${escapeHtml(file)}">the exchange</a></p>`;
}
