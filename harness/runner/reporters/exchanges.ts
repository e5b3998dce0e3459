/**
 * HTTP exchanges as reports show them. Credentials are masked before anything is written: reports are
 * CI artifacts that many people can read, and a bearer token or a Basic password must not end up there.
 */
import type { Exchange } from '../types.js';

/** Headers whose values are credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** Bodies longer than this are cut in the reports (the run keeps them whole in memory only). */
export const MAX_BODY_CHARS = 100_000;

/** A credential's value with its scheme kept (`Bearer [redacted]`), so the report still says which was sent. */
function maskValue(value: string): string {
  const scheme = /^(Bearer|Basic|Digest|Negotiate)\s/i.exec(value);
  return scheme ? `${scheme[1]} [redacted]` : '[redacted]';
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    masked[name] = SECRET_HEADERS.has(name.toLowerCase()) ? maskValue(value) : value;
  }
  return masked;
}

export function redactExchange(exchange: Exchange): Exchange {
  return {
    ...exchange,
    request: { ...exchange.request, headers: redactHeaders(exchange.request.headers) },
    ...(exchange.response
      ? { response: { ...exchange.response, headers: redactHeaders(exchange.response.headers) } }
      : {}),
  };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** Whether a body is JSON, by its Content-Type or, without one, by its first character. */
function looksLikeJson(body: string, headers: Record<string, string>): boolean {
  const type = headerValue(headers, 'content-type');
  if (type !== undefined) return /[/+]json\b/i.test(type);
  return /^\s*[[{]/.test(body);
}

export interface FormattedBody {
  text: string;
  json: boolean;
  truncated: boolean;
}

/** A body for reading: JSON pretty-printed (when it parses), long bodies cut with a note. */
export function formatBody(body: string, headers: Record<string, string>): FormattedBody {
  let text = body;
  let json = false;
  if (looksLikeJson(body, headers) && body.length <= MAX_BODY_CHARS * 4) {
    try {
      text = JSON.stringify(JSON.parse(body), null, 2);
      json = true;
    } catch {
      // Not JSON after all: shown as it came.
    }
  }
  if (text.length <= MAX_BODY_CHARS) return { text, json, truncated: false };
  const rest = text.length - MAX_BODY_CHARS;
  return { text: `${text.slice(0, MAX_BODY_CHARS)}\n[... ${rest} more characters]`, json, truncated: true };
}

export function statusLine(exchange: Exchange): string {
  if (exchange.response)
    return `${exchange.response.status} (${Math.round(exchange.response.durationMs)} ms)`;
  return exchange.error !== undefined ? `no response: ${exchange.error}` : 'no response';
}

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
}

/** An exchange as plain text, request then response, like an HTTP trace. Credentials masked. */
export function exchangeText(original: Exchange): string {
  const exchange = redactExchange(original);
  const lines = [
    `> ${exchange.request.method} ${exchange.request.url}`,
    ...headerLines(exchange.request.headers),
  ];
  if (exchange.request.body !== undefined && exchange.request.body !== '') {
    lines.push('', formatBody(exchange.request.body, exchange.request.headers).text);
  }
  lines.push('', `< ${statusLine(exchange)}`);
  if (exchange.response) {
    lines.push(...headerLines(exchange.response.headers));
    if (exchange.response.body !== undefined && exchange.response.body !== '') {
      lines.push('', formatBody(exchange.response.body, exchange.response.headers).text);
    }
  }
  return lines.join('\n');
}
