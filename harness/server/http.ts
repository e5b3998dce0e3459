/**
 * The HTTP adapter: turns an HTTP request into a FhirRequest, the FhirResponse back into status,
 * headers and a JSON or XML body. Every error, including a body too large or unreadable, is an
 * OperationOutcome; nothing else ever reaches the client.
 *
 * Requests with a body (and the login) go through express, which reads bodies within the size limit.
 * Requests without one (GET, HEAD, DELETE), most of the traffic, are answered directly by
 * `createListener`, without express's routing and response machinery: both paths share `serveFhir`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { parseJsonSource } from '../validator/json-source.js';
import type { Authenticator } from './auth.js';
import { WWW_AUTHENTICATE } from './auth.js';
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

export interface HttpOptions {
  /** The path the FHIR base is mounted at, e.g. '/fhir' (or '' for the root). */
  basePath: string;
  authenticator?: Authenticator;
  /** Request bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  /** JSON nested deeper than this is refused with 400. */
  maxDepth: number;
}

const JSON_PATCH = 'application/json-patch+json';
const FORM = 'application/x-www-form-urlencoded';

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A `%` not followed by two hex digits: URLSearchParams would keep it as text rather than refuse it. */
const BROKEN_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** The query string as pairs, decoded once (express's parsed `query` objects would merge repeats). */
function queryPairs(originalUrl: string): [string, string][] {
  const index = originalUrl.indexOf('?');
  if (index === -1) return [];
  const query = originalUrl.slice(index + 1);
  if (BROKEN_ESCAPE.test(query)) throw badRequest('The query string has a malformed %-escape');
  return [...new URLSearchParams(query).entries()];
}

/** A path segment, %-decoded; a malformed escape is the client's error, not a server failure. */
function pathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`The path segment '${segment}' has a malformed %-escape`);
  }
}

/** The body as the handler wants it: a parsed resource, a JSON Patch, or form text for _search. */
function parseBody(request: IncomingMessage, raw: unknown, maxDepth: number): unknown {
  if (!Buffer.isBuffer(raw) || raw.length === 0) return undefined;
  const contentType = (headerValue(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = raw.toString('utf8');
  if (contentType === FORM) return text;
  if (contentType === JSON_PATCH) return parseJson(text, maxDepth);
  const format = requestBodyFormat(headerValue(request, 'content-type'));
  if (typeof format === 'object')
    throw unsupportedMediaType(
      `The content type '${format.unsupported}' is not supported; send application/fhir+json or application/fhir+xml`,
    );
  if (format === 'xml') {
    const parsed = fromXml(text);
    if (!parsed.ok) throw badRequest(`The XML body cannot be read: ${parsed.message}`);
    return parsed.resource;
  }
  return parseJson(text, maxDepth);
}

function parseJson(text: string, maxDepth: number): unknown {
  const parsed = parseJsonSource(text, { maxDepth });
  if (!parsed.ok) throw badRequest(`The body is not valid JSON: ${parsed.error.message}`);
  return parsed.json.value;
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

function fail(response: ServerResponse, request: IncomingMessage, error: unknown): void {
  const result = errorResponse(error);
  const negotiated = negotiateResponseFormat(undefined, headerValue(request, 'accept'));
  send(response, request.method ?? 'GET', result, typeof negotiated === 'string' ? negotiated : 'json');
}

/** One FHIR request, whichever path it came by: `path` is below the base, `body` the raw bytes if any. */
function serveFhir(
  server: FhirServer,
  options: HttpOptions,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  body: unknown,
): void {
  const url = request.url ?? '/';
  const negotiated = negotiateResponseFormat(formatParameter(url), headerValue(request, 'accept'));
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
    if (options.authenticator && !(segments.length === 1 && segments[0] === 'metadata')) {
      const verdict = options.authenticator.verify(headerValue(request, 'authorization'));
      if (!verdict.ok)
        throw new OutcomeError(401, operationOutcome('error', 'login', verdict.message), {
          'WWW-Authenticate': WWW_AUTHENTICATE,
        });
    }
    const fhirRequest: FhirRequest = {
      method: request.method ?? 'GET',
      base: `http://${headerValue(request, 'host') ?? 'localhost'}${options.basePath}`,
      segments,
      query: queryPairs(url),
      headers: {
        ...optional('ifMatch', headerValue(request, 'if-match')),
        ...optional('ifNoneMatch', headerValue(request, 'if-none-match')),
        ...optional('ifModifiedSince', headerValue(request, 'if-modified-since')),
        ...optional('ifNoneExist', headerValue(request, 'if-none-exist')),
        ...optional('prefer', headerValue(request, 'prefer')),
        ...optional('contentType', headerValue(request, 'content-type')),
      },
    };
    const parsed = parseBody(request, body, options.maxDepth);
    if (parsed !== undefined) fhirRequest.body = parsed;
    send(response, fhirRequest.method, server.handle(fhirRequest), negotiated);
  } catch (error) {
    fail(response, request, error);
  }
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
  return (request, response) => {
    const url = request.url ?? '/';
    const method = request.method ?? 'GET';
    const bodyless = method === 'GET' || method === 'HEAD' || method === 'DELETE';
    const path = url.split('?', 1)[0] ?? '';
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
}

function createApp(server: FhirServer, options: HttpOptions): express.Express {
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

  // Bodies are read raw, whatever their type, up to the limit; parsing is ours (safe with hostile keys).
  router.use(express.raw({ type: () => true, limit: options.maxBodyBytes }));

  router.post(/^\/login\/?$/, (request, response) => {
    if (!options.authenticator)
      return fail(response, request, badRequest('This server runs without authentication'));
    let body: unknown;
    try {
      body = parseBody(request, request.body, options.maxDepth);
    } catch (error) {
      return fail(response, request, error);
    }
    const result = options.authenticator.login(body);
    if (result.status === 200) {
      response.status(200).json(result.body);
      return;
    }
    const error = result.status === 401 ? unauthorized(result.message) : badRequest(result.message);
    fail(response, request, error);
  });

  router.use((request: Request, response: Response) => {
    serveFhir(server, options, request, response, request.path, request.body);
  });

  // Errors express itself raises (a body over the limit, a body that cannot be read).
  router.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413)
      return fail(
        response,
        request,
        payloadTooLarge(`The body is larger than ${options.maxBodyBytes} bytes`),
      );
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

function formatParameter(originalUrl: string): string | undefined {
  try {
    return queryPairs(originalUrl).find(([name]) => name === '_format')?.[1];
  } catch {
    return undefined;
  }
}
