/**
 * The HTTP adapter: turns an HTTP request into a FhirRequest, the FhirResponse back into status,
 * headers and a JSON or XML body. Every error, including a body too large or unreadable, is an
 * OperationOutcome; nothing else ever reaches the client.
 *
 * Requests with a body (and the login) go through express, which reads bodies within the size limit.
 * Requests without one (GET, HEAD, DELETE), most of the traffic, are answered directly by
 * `createListener`, without express's routing and response machinery: both paths share `serveFhir`.
 *
 * Every limit of limits.ts is checked here, as the request is read: the request target's length and
 * parameters, the number of headers, the body's bytes (express stops reading at the limit) and, as it
 * is parsed, its JSON. Writes are refused before their body is read when the server is at its memory
 * budget. Bodies from `offloadBytes` up (and from `shareBytes` up while a worker can take them) are
 * parsed and checked in worker threads (body-checks/), so a large write does not stall other clients.
 * `/healthz` and `/readyz`, outside the FHIR base, say how the server is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { isJsonObject } from '../json.js';
import { parseJsonSource } from '../validator/json-source.js';
import type { Authenticator } from './auth.js';
import { WWW_AUTHENTICATE } from './auth.js';
import type { BodyChecks, WriteShape } from './body-checks/index.js';
import { errorResponse, type FhirRequest, type FhirResponse } from './exchange.js';
import type { FhirServer } from './fhir-server.js';
import {
  CONTENT_TYPES,
  fromXml,
  negotiateResponseFormat,
  requestBodyFormat,
  toXml,
  type Format,
} from './formats.js';
import {
  OutcomeError,
  badRequest,
  notAcceptable,
  operationOutcome,
  payloadTooLarge,
  unauthorized,
  unsupportedMediaType,
} from './outcomes.js';
import { jsonFailure, jsonParseLimits, limitText, xmlSizeProblem, type RequestLimits } from './limits.js';
import type { LogEntry, ServerLog } from './log.js';
import type { MemoryBudget } from './memory-budget.js';

export interface HttpOptions {
  /** The path the FHIR base is mounted at, e.g. '/fhir' (or '' for the root). */
  basePath: string;
  authenticator?: Authenticator;
  limits: RequestLimits;
  log: ServerLog;
  /** Bodies of at least this many bytes are parsed and checked off the event loop by `bodyChecks`. */
  offloadBytes: number;
  /**
   * Bodies of at least this many bytes (and under `offloadBytes`) are checked by `bodyChecks` when a
   * worker can take them at once, in parallel with the event loop; otherwise here.
   */
  shareBytes: number;
  bodyChecks?: BodyChecks;
  /** Writes are refused above it. */
  memory?: MemoryBudget;
  /** What /healthz and /readyz report. */
  health: () => HealthReport;
  /** Told of every request once answered (serve --access-log). */
  accessLog?: ServerLog;
}

/** The server's state as the health endpoints report it. */
export interface HealthReport {
  /** Writes are taken (storage writable, memory under budget, the start-up load done). */
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

const JSON_PATCH = 'application/json-patch+json';
const FORM = 'application/x-www-form-urlencoded';

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A `%` not followed by two hex digits: URLSearchParams would keep it as text rather than refuse it. */
const BROKEN_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/**
 * The query string as pairs, decoded once (express's parsed `query` objects would merge repeats); more
 * than `maxParameters` is refused before any is decoded.
 */
function queryPairs(originalUrl: string, limits: RequestLimits): [string, string][] {
  const index = originalUrl.indexOf('?');
  if (index === -1) return [];
  const query = originalUrl.slice(index + 1);
  checkParameterCount(query, limits);
  if (BROKEN_ESCAPE.test(query)) throw badRequest('The query string has a malformed %-escape');
  return [...new URLSearchParams(query).entries()];
}

/** Parameters in a query or form text, counted by their separators (an upper bound, in one pass). */
function checkParameterCount(text: string, limits: RequestLimits): void {
  let count = 1;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1))
    if (++count > limits.parameters)
      throw badRequest(
        `The request has more than ${limits.parameters} parameters: ${limitText('parameters', limits)}`,
      );
}

/** A path segment, %-decoded; a malformed escape is the client's error, not a server failure. */
function pathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`The path segment '${segment}' has a malformed %-escape`);
  }
}

/** What a body is: form text for _search, a JSON Patch, or a resource in JSON or XML. */
type BodyKind = 'form' | 'patch' | 'json' | 'xml';

function bodyKind(request: IncomingMessage): BodyKind {
  const contentType = (headerValue(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (contentType === FORM) return 'form';
  if (contentType === JSON_PATCH) return 'patch';
  const format = requestBodyFormat(headerValue(request, 'content-type'));
  if (typeof format === 'object')
    throw unsupportedMediaType(
      `The content type '${format.unsupported}' is not supported; send application/fhir+json or application/fhir+xml`,
    );
  return format;
}

/** The body as the handler wants it, parsed here: a resource, a JSON Patch, or form text for _search. */
function parseBody(kind: BodyKind, raw: Buffer, limits: RequestLimits): unknown {
  const text = raw.toString('utf8');
  if (kind === 'form') {
    checkParameterCount(text, limits);
    return text;
  }
  if (kind === 'xml') {
    const tooLarge = xmlSizeProblem(text, limits);
    if (tooLarge)
      throw tooLarge.status === 413 ? payloadTooLarge(tooLarge.message) : badRequest(tooLarge.message);
    const parsed = fromXml(text);
    if (!parsed.ok) throw badRequest(`The XML body cannot be read: ${parsed.message}`);
    return parsed.resource;
  }
  const parsed = parseJsonSource(text, jsonParseLimits(limits));
  if (parsed.ok) return parsed.json.value;
  const { status, message } = jsonFailure(parsed.error);
  throw status === 413 ? payloadTooLarge(message) : badRequest(message);
}

function send(response: ServerResponse, method: string, result: FhirResponse, format: Format): void {
  const headers: Record<string, string> = { ...result.headers };
  // bodyText first: a read's body is parsed only when it is really needed (XML).
  const empty =
    (result.bodyText === undefined && result.body === undefined) ||
    method === 'HEAD' ||
    result.status === 304 ||
    result.status === 204;
  if (empty) {
    response.writeHead(result.status, headers);
    response.end();
    return;
  }
  const text = format === 'xml' ? toXml(result.body ?? {}) : (result.bodyText ?? JSON.stringify(result.body));
  headers['Content-Type'] = CONTENT_TYPES[format];
  headers['Content-Length'] = String(Buffer.byteLength(text));
  response.writeHead(result.status, headers);
  response.end(text);
}

/**
 * Which objects of a body a write of it would validate (body-checks/protocol.ts), from the route the
 * server itself finds for the request: a create or update checks the body, a batch or transaction its
 * entries' resources, anything else (a search, a patch, an operation, no route at all) none.
 */
function writeShape(server: FhirServer, request: FhirRequest): WriteShape {
  let interactions: readonly string[];
  try {
    interactions = server.resolve(request).route.interactions;
  } catch {
    return 'none';
  }
  if (interactions.includes('transaction')) return 'entries';
  return interactions.includes('create') || interactions.includes('update') ? 'resource' : 'none';
}

function fail(response: ServerResponse, request: IncomingMessage, error: unknown): void {
  const result = errorResponse(error);
  const negotiated = negotiateResponseFormat(undefined, headerValue(request, 'accept'));
  send(response, request.method ?? 'GET', result, typeof negotiated === 'string' ? negotiated : 'json');
}

/**
 * One FHIR request, whichever path it came by: `path` is below the base, `body` the raw bytes if any;
 * `authenticated` when the token was checked already (the express path checks it before reading a body).
 */
function serveFhir(
  server: FhirServer,
  options: HttpOptions,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  body: unknown,
  authenticated = false,
): void {
  const url = request.url ?? '/';
  // Read once: its _format chooses the answer's format, even the answer to a query that is refused.
  let query: [string, string][] | OutcomeError;
  try {
    query = queryPairs(url, options.limits);
  } catch (error) {
    query = error instanceof OutcomeError ? error : badRequest('The query string cannot be read');
  }
  const formatParameter = Array.isArray(query) ? query.find(([name]) => name === '_format')?.[1] : undefined;
  const negotiated = negotiateResponseFormat(formatParameter, headerValue(request, 'accept'));
  if (typeof negotiated === 'object') {
    return fail(
      response,
      request,
      notAcceptable(
        `Cannot answer in '${negotiated.notAcceptable}'; this server speaks application/fhir+json and application/fhir+xml`,
      ),
    );
  }
  try {
    const segments = path.split('/').filter(Boolean).map(pathSegment);
    const unauthenticated =
      authenticated || (segments.length === 1 && segments[0] === 'metadata')
        ? undefined
        : authenticationError(options, request);
    if (unauthenticated) throw unauthenticated;
    if (!Array.isArray(query)) throw query;
    const fhirRequest: FhirRequest = {
      method: request.method ?? 'GET',
      base: `http://${headerValue(request, 'host') ?? 'localhost'}${options.basePath}`,
      segments,
      query,
      headers: {
        ...optional('ifMatch', headerValue(request, 'if-match')),
        ...optional('ifNoneMatch', headerValue(request, 'if-none-match')),
        ...optional('ifModifiedSince', headerValue(request, 'if-modified-since')),
        ...optional('ifNoneExist', headerValue(request, 'if-none-exist')),
        ...optional('prefer', headerValue(request, 'prefer')),
        ...optional('contentType', headerValue(request, 'content-type')),
      },
    };
    const raw = Buffer.isBuffer(body) && body.length > 0 ? body : undefined;
    if (raw) {
      const kind = bodyKind(request);
      const checks = options.bodyChecks;
      if (
        checks &&
        (kind === 'json' || kind === 'xml') &&
        (raw.length >= options.offloadBytes || (raw.length >= options.shareBytes && checks.canShare()))
      ) {
        void serveChecked(server, checks, request, response, fhirRequest, raw, kind, negotiated);
        return;
      }
      fhirRequest.body = parseBody(kind, raw, options.limits);
    }
    send(response, fhirRequest.method, server.handle(fhirRequest), negotiated);
  } catch (error) {
    fail(response, request, error);
  }
}

/** One turn of the event loop: what is waiting runs first. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A large body: parsed and checked in a worker thread, then handled here with the verdicts. */
async function serveChecked(
  server: FhirServer,
  bodyChecks: BodyChecks,
  request: IncomingMessage,
  response: ServerResponse,
  fhirRequest: FhirRequest,
  raw: Buffer,
  kind: 'json' | 'xml',
  format: Format,
): Promise<void> {
  try {
    const checked = await bodyChecks.check(raw, kind, writeShape(server, fhirRequest));
    if (!checked.ok) {
      const outcome = operationOutcome(
        'error',
        checked.status === 413 ? 'too-costly' : checked.status === 503 ? 'transient' : 'invalid',
        checked.message,
      );
      throw new OutcomeError(checked.status, outcome, checked.status === 503 ? { 'Retry-After': '1' } : {});
    }
    fhirRequest.body = checked.body;
    fhirRequest.checked = checked.checked;
    // What is left to do here on a large body (building it again, storing, sending the answer) takes
    // a few passes over it, each some milliseconds: requests that came meanwhile go in between.
    await turn();
    const answer = server.handle(fhirRequest);
    await turn();
    send(response, fhirRequest.method, answer, format);
  } catch (error) {
    fail(response, request, error);
  }
}

/** The 401 a request without a valid token gets, when the server requires one; undefined otherwise. */
function authenticationError(options: HttpOptions, request: IncomingMessage): OutcomeError | undefined {
  if (!options.authenticator) return undefined;
  const verdict = options.authenticator.verify(headerValue(request, 'authorization'));
  if (verdict.ok) return undefined;
  return new OutcomeError(401, operationOutcome('error', 'login', verdict.message), {
    'WWW-Authenticate': WWW_AUTHENTICATE,
  });
}

/** RFC 9112 §3.2: an HTTP/1.1 request without Host is refused with 400 (an OperationOutcome, not Node's bare answer). */
function missingHost(request: IncomingMessage): boolean {
  return request.httpVersion === '1.1' && request.headers.host === undefined;
}

/**
 * The server's request listener: requests that carry no body go straight to the FHIR server; the rest
 * (and anything outside the base) go through the express app.
 */
export function createListener(
  server: FhirServer,
  options: HttpOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const app = createApp(server, options);
  const base = options.basePath;
  const { limits, accessLog } = options;
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const url = request.url ?? '/';
    const method = request.method ?? 'GET';
    if (url.length > limits.urlBytes)
      return fail(
        response,
        request,
        new OutcomeError(
          414,
          operationOutcome(
            'error',
            'too-costly',
            `The request target is longer than ${limits.urlBytes} bytes: ${limitText('urlBytes', limits)}`,
          ),
        ),
      );
    // Node keeps at most maxHeadersCount headers (set one above the limit), so more means too many.
    if (request.rawHeaders.length / 2 > limits.headers)
      return fail(
        response,
        request,
        new OutcomeError(
          431,
          operationOutcome(
            'error',
            'too-costly',
            `The request has more than ${limits.headers} headers: ${limitText('headers', limits)}`,
          ),
        ),
      );
    const bodyless = method === 'GET' || method === 'HEAD' || method === 'DELETE';
    const path = url.split('?', 1)[0] ?? '';
    if (bodyless && (path === '/healthz' || path === '/readyz')) {
      request.resume();
      return sendHealth(response, method, path, options.health());
    }
    const underBase = base === '' || path === base || path.startsWith(`${base}/`);
    const hasBody =
      request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0';
    if (!bodyless || !underBase || hasBody || request.headers['transfer-encoding'] !== undefined) {
      app(request, response);
      return;
    }
    if (missingHost(request))
      return fail(response, request, badRequest('An HTTP/1.1 request needs a Host header'));
    request.resume();
    serveFhir(server, options, request, response, path.slice(base.length), undefined);
  };
  if (!accessLog) return listener;
  return (request, response) => {
    const started = performance.now();
    const sentBefore = request.socket.bytesWritten;
    response.once('close', () => accessLog(accessEntry(request, response, started, sentBefore)));
    listener(request, response);
  };
}

/**
 * One line of the access log: when, what (the path without its query, which may carry identifiers),
 * how it ended, how long, how many bytes went out (headers and body), from where. Never a header value,
 * a token or a body.
 */
function accessEntry(
  request: IncomingMessage,
  response: ServerResponse,
  started: number,
  sentBefore: number,
): LogEntry {
  const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
  return {
    event: 'request',
    method: request.method ?? '',
    path: path.length > 512 ? `${path.slice(0, 512)}...` : path,
    status: response.headersSent ? response.statusCode : 0,
    ms: Math.round((performance.now() - started) * 10) / 10,
    bytes: request.socket.bytesWritten - sentBefore,
    client: request.socket.remoteAddress ?? '',
    ...(response.writableFinished ? {} : { aborted: true }),
  };
}

/** /healthz: 200 while the process serves, with each check; /readyz: 503 while writes are refused. */
function sendHealth(response: ServerResponse, method: string, path: string, report: HealthReport): void {
  const status = path === '/readyz' && !report.ready ? 503 : 200;
  const text = JSON.stringify({ status: report.ready ? 'ready' : 'degraded', checks: report.checks });
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  response.end(method === 'HEAD' ? undefined : text);
}

/** The methods whose body a write brings (a search by POST reads). */
function bringsWrite(request: Request): boolean {
  const method = request.method;
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return false;
  return !/\/_search\/?$/.test(request.path);
}

function createApp(server: FhirServer, options: HttpOptions): express.Express {
  const { limits, log } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);
  // RFC 9112 §3.2: an HTTP/1.1 request without Host is refused with 400 (here, not in Node, so that the
  // answer is an OperationOutcome like every other error; the server turns Node's own check off).
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (missingHost(request))
      return fail(response, request, badRequest('An HTTP/1.1 request needs a Host header'));
    next();
  });
  const router = express.Router({ caseSensitive: true, strict: false });

  // The login's body is read within a few KB, before anything about the client is known.
  router.post(
    /^\/login\/?$/,
    express.raw({ type: () => true, limit: limits.loginBodyBytes }),
    (request, response) => {
      const authenticator = options.authenticator;
      if (!authenticator)
        return fail(response, request, badRequest('This server runs without authentication'));
      const address = request.socket.remoteAddress ?? 'unknown';
      let body: unknown;
      try {
        const raw = Buffer.isBuffer(request.body) ? (request.body as Buffer) : Buffer.alloc(0);
        body = raw.length === 0 ? undefined : parseBody('json', raw, limits);
      } catch (error) {
        return fail(response, request, error);
      }
      const result = authenticator.login(body, address);
      if (result.status === 200) {
        response.status(200).json(result.body);
        return;
      }
      const user =
        isJsonObject(body) && typeof body.username === 'string' ? body.username.slice(0, 256) : undefined;
      log({ event: 'login-refused', status: result.status, user, address, reason: result.message });
      const error =
        result.status === 401
          ? unauthorized(result.message)
          : result.status === 429
            ? new OutcomeError(429, operationOutcome('error', 'throttled', result.message), {
                'Retry-After': String(result.retryAfterSeconds),
              })
            : badRequest(result.message);
      fail(response, request, error);
    },
  );

  // Without a valid token, a body is not read at all (it is dropped as it comes): an anonymous client
  // costs no memory and no parsing.
  router.use((request: Request, response: Response, next: NextFunction) => {
    const unauthenticated = /^\/metadata\/?$/.test(request.path)
      ? undefined
      : authenticationError(options, request);
    if (!unauthenticated) return next();
    request.resume();
    fail(response, request, unauthenticated);
  });

  // A write is refused before its body is kept when memory is short: the body is read and dropped as it
  // comes (so that the client, still sending, gets the answer), never held.
  router.use((request: Request, response: Response, next: NextFunction) => {
    if (!options.memory || !bringsWrite(request)) return next();
    const refusal = options.memory.refusal(Number(request.headers['content-length']) || 0);
    if (refusal === undefined) return next();
    log({ event: 'write-refused-memory', method: request.method, path: request.path, reason: refusal });
    request.resume();
    fail(
      response,
      request,
      new OutcomeError(503, operationOutcome('error', 'transient', refusal), { 'Retry-After': '30' }),
    );
  });

  // Bodies are read raw, whatever their type, up to the limit; parsing is ours (safe with hostile keys).
  router.use(express.raw({ type: () => true, limit: limits.bodyBytes }));

  // The token was checked above, before the body was read.
  router.use((request: Request, response: Response) => {
    serveFhir(server, options, request, response, request.path, request.body, true);
  });

  // Errors express itself raises (a body over the limit, a body that cannot be read).
  router.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413) {
      const limit = /^\/login\/?$/.test(request.path) ? 'loginBodyBytes' : 'bodyBytes';
      return fail(
        response,
        request,
        payloadTooLarge(`The body is larger than ${limits[limit]} bytes: ${limitText(limit, limits)}`),
      );
    }
    if (typeof status === 'number' && status >= 400 && status < 500)
      return fail(response, request, badRequest('The request body cannot be read'));
    fail(response, request, error);
  });

  app.use(options.basePath || '/', router);
  app.use((request: Request, response: Response) => {
    fail(
      response,
      request,
      new OutcomeError(
        404,
        operationOutcome(
          'error',
          'not-found',
          `Nothing at ${request.path}; the FHIR base is ${options.basePath || '/'}`,
        ),
      ),
    );
  });
  return app;
}

function optional<K extends string>(name: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, string>);
}
