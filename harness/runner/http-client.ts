/**
 * The HTTP client steps send through: undici's fetch with a per-request timeout, the target's headers and
 * authentication, and every exchange recorded. It never throws: a transport failure is a value.
 */
import { performance } from 'node:perf_hooks';
import { fetch, type Agent, type Response } from 'undici';
import { OpenimisSession } from './openimis-login.js';
import { createDispatcher } from './tls.js';
import type { Exchange, Reply, RequestOptions, TargetOptions } from './types.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const FHIR_JSON = 'application/fhir+json';

export type SendResult =
  | { ok: true; reply: Reply }
  /** `tooLarge`: the target answered, but with a body over the client's size limit. */
  | { ok: false; message: string; exchange: Exchange; tooLarge?: true };

/** Headers whose values are secrets: recorded as `<scheme> ***`. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization']);

export class HttpClient {
  private readonly session: OpenimisSession | undefined;

  private constructor(
    readonly base: string,
    private readonly target: TargetOptions,
    private readonly dispatcher: Agent,
  ) {
    const auth = target.auth;
    this.session =
      auth?.kind === 'openimis'
        ? new OpenimisSession(base, auth.user, auth.password, (url, body) => this.rawPost(url, body))
        : undefined;
  }

  /** A client for the target, or what is wrong with its options. */
  static create(target: TargetOptions): HttpClient | Error {
    let url: URL;
    try {
      url = new URL(target.baseUrl);
    } catch {
      return new Error(`the server URL "${target.baseUrl}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return new Error(`the server URL "${target.baseUrl}" must be http:// or https://`);
    }
    const timeout = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0) return new Error('the timeout must be a positive number');
    const maxBytes = target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0)
      return new Error('the response size limit must be a positive number of bytes');
    const dispatcher = createDispatcher(target);
    if (dispatcher instanceof Error) return dispatcher;
    const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}${url.search}`;
    return new HttpClient(base, target, dispatcher);
  }

  /** An absolute URL for a path relative to the base (`Patient/1`, `/Patient/1`, `?_format=json`, ''). */
  resolve(path: string): string {
    if (/^https?:\/\//i.test(path)) return path;
    if (path === '' || path === '/') return this.base;
    if (path.startsWith('?')) return `${this.base}${path}`;
    return `${this.base}/${path.replace(/^\/+/, '')}`;
  }

  /** Whether requests carry a login of their own (openIMIS auth). */
  get hasLogin(): boolean {
    return this.session !== undefined;
  }

  /**
   * Logs in now (openIMIS auth), so wrong credentials are said once, before any scenario runs. Other
   * kinds of auth have nothing to check.
   */
  async login(): Promise<true | Error> {
    if (!this.session) return true;
    const token = await this.session.token();
    return token instanceof Error ? token : true;
  }

  /** `withoutLogin`: no openIMIS login for this request (`/metadata` is public, and read before the login). */
  async send(
    method: string,
    path: string,
    options: RequestOptions = {},
    { withoutLogin = false }: { withoutLogin?: boolean } = {},
  ): Promise<SendResult> {
    const url = this.resolve(path);
    const { headers, body } = this.prepare(options);
    const ownAuthorization = Object.keys(options.headers ?? {}).some(
      (name) => name.toLowerCase() === 'authorization',
    );
    const timeoutMs = options.timeoutMs ?? this.target.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    let token: string | undefined;
    if (this.session && !ownAuthorization && !withoutLogin) {
      const got = await this.session.token();
      if (got instanceof Error) return failure(method, url, headers, body, got.message);
      token = got;
      headers.authorization = `Bearer ${token}`;
    }
    const first = await this.exchange(method, url, headers, body, timeoutMs);
    // One new login and one retry on a 401: the token may have been revoked or the server restarted.
    if (first.ok && first.reply.status === 401 && this.session && token !== undefined) {
      const renewed = await this.session.renew(token);
      if (renewed instanceof Error) return failure(method, url, headers, body, renewed.message);
      headers.authorization = `Bearer ${renewed}`;
      return this.exchange(method, url, headers, body, timeoutMs);
    }
    return first;
  }

  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => undefined);
  }

  /** The headers and body of a request: defaults, the target's headers, auth, then the request's own. */
  private prepare(options: RequestOptions): { headers: Record<string, string>; body: string | undefined } {
    const headers: Record<string, string> = { accept: FHIR_JSON };
    const auth = this.target.auth;
    if (auth?.kind === 'bearer') headers.authorization = `Bearer ${auth.token}`;
    if (auth?.kind === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
    }
    const { text, contentType } = encodeBody(options.body);
    if (contentType) headers['content-type'] = contentType;
    for (const [name, value] of Object.entries({ ...this.target.headers, ...options.headers })) {
      // '' drops a header (a step checking what a server does without Accept or Authorization).
      if (value === '') delete headers[name.toLowerCase()];
      else headers[name.toLowerCase()] = value;
    }
    return { headers, body: text };
  }

  private async exchange(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
  ): Promise<SendResult> {
    const request: Exchange['request'] = {
      method,
      url,
      headers: redact(headers),
      ...(body === undefined ? {} : { body }),
    };
    const started = performance.now();
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      const response = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal,
        dispatcher: this.dispatcher,
        redirect: 'manual',
      });
      // The timeout covers the body too: a server that sends headers and then stalls is a timeout.
      const text = await this.readBody(response);
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name] = value;
      });
      const durationMs = Math.round(performance.now() - started);
      const exchange: Exchange = {
        request,
        response: { status: response.status, headers: responseHeaders, body: text, durationMs },
      };
      const json = parseJsonBody(responseHeaders['content-type'], text);
      return {
        ok: true,
        reply: {
          status: response.status,
          headers: responseHeaders,
          text,
          ...(json === undefined ? {} : { json }),
          exchange,
        },
      };
    } catch (error) {
      const message = `${method} ${url}: ${describeTransportError(error, timeoutMs)}`;
      return {
        ok: false,
        message,
        exchange: { request, error: message },
        ...(error instanceof ResponseTooLarge ? { tooLarge: true as const } : {}),
      };
    }
  }

  /** The login's POST: not recorded (its body holds the password), never throws. */
  private async rawPost(
    url: string,
    body: string,
  ): Promise<{ status: number; text: string } | { error: string }> {
    const timeoutMs = this.target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...lowerCased(this.target.headers),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher: this.dispatcher,
        redirect: 'manual',
      });
      return { status: response.status, text: await this.readBody(response) };
    } catch (error) {
      return { error: describeTransportError(error, timeoutMs) };
    }
  }

  /**
   * The body as text, read as a stream and abandoned (the connection closed) past the size limit, so
   * that a target answering gigabytes costs no more memory than the limit.
   */
  private async readBody(response: Response): Promise<string> {
    const limit = this.target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      await response.body?.cancel();
      throw new ResponseTooLarge(limit, declared);
    }
    if (!response.body) return '';
    const chunks: Uint8Array[] = [];
    let received = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      received += chunk.byteLength;
      if (received > limit) {
        await response.body.cancel().catch(() => undefined);
        throw new ResponseTooLarge(limit);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, received).toString('utf8');
  }
}

/** A response over the client's size limit (TargetOptions.maxResponseBytes). */
class ResponseTooLarge extends Error {
  constructor(limit: number, declared?: number) {
    super(
      `the response body is larger than the client's limit of ${limit} bytes` +
        (declared === undefined ? '' : ` (Content-Length ${declared})`) +
        '; raise --max-response-bytes to read it',
    );
  }
}

function lowerCased(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

function failure(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  message: string,
): SendResult {
  return {
    ok: false,
    message,
    exchange: {
      request: { method, url, headers: redact(headers), ...(body === undefined ? {} : { body }) },
      error: message,
    },
  };
}

/** A resource goes as FHIR JSON; text as it is; a form as form-urlencoded; bytes as they are. */
function encodeBody(body: unknown): { text: string | undefined; contentType?: string } {
  if (body === undefined) return { text: undefined };
  if (typeof body === 'string') return { text: body, contentType: FHIR_JSON };
  if (body instanceof URLSearchParams)
    return { text: body.toString(), contentType: 'application/x-www-form-urlencoded' };
  if (body instanceof Uint8Array) return { text: Buffer.from(body).toString('utf8'), contentType: FHIR_JSON };
  return { text: JSON.stringify(body), contentType: FHIR_JSON };
}

function redact(headers: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    shown[name] = SECRET_HEADERS.has(name) ? `${value.split(' ')[0] ?? ''} ***`.trim() : value;
  }
  return shown;
}

export function parseJsonBody(contentType: string | undefined, text: string): unknown {
  if (!contentType || !/[/+]json\b/i.test(contentType) || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** What went wrong, for a person: the cause's code in words, never a stack. */
export function describeTransportError(error: unknown, timeoutMs: number): string {
  const named = error as { name?: string; message?: string; cause?: unknown };
  if (named?.name === 'TimeoutError' || named?.name === 'AbortError')
    return `no answer within ${timeoutMs} ms (timeout)`;
  const cause = (named?.cause ?? error) as {
    code?: string;
    message?: string;
    name?: string;
    hostname?: string;
  };
  if (cause?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms (timeout)`;
  const code = cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name cannot be resolved (${code})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return 'the connection was closed before a complete answer (reset)';
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return `no answer in time (${code})`;
  }
  if (TLS_CODES.test(code))
    return `the TLS certificate is not trusted (${code}): pass --ca FILE, or --insecure for a test server`;
  const text = cause?.message ?? named?.message ?? String(error);
  return code ? `${text} (${code})` : text;
}
