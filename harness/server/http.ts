/**
 * The only express code: turns an HTTP request into a FhirRequest, the FhirResponse back into status,
 * headers and a JSON or XML body. Every error, including a body too large or unreadable, is an
 * OperationOutcome; nothing else ever reaches the client.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { parseJsonSource } from '../validator/json-source.js';
import type { Authenticator } from './auth.js';
import { WWW_AUTHENTICATE } from './auth.js';
import type { FhirRequest, FhirResponse } from './exchange.js';
import { errorResponse, type FhirServer } from './fhir-server.js';
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

function headerValue(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The query string as pairs, decoded once (express's parsed `query` objects would merge repeats). */
function queryPairs(originalUrl: string): [string, string][] {
  const index = originalUrl.indexOf('?');
  if (index === -1) return [];
  try {
    return [...new URLSearchParams(originalUrl.slice(index + 1)).entries()];
  } catch {
    throw badRequest('The query string cannot be decoded');
  }
}

/** The body as the handler wants it: a parsed resource, a JSON Patch, or form text for _search. */
function parseBody(request: Request, maxDepth: number): unknown {
  const raw: unknown = request.body;
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

function send(response: Response, request: Request, result: FhirResponse, format: Format): void {
  response.status(result.status);
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  if (
    result.body === undefined ||
    request.method === 'HEAD' ||
    result.status === 304 ||
    result.status === 204
  ) {
    response.end();
    return;
  }
  response.setHeader('Content-Type', CONTENT_TYPES[format]);
  response.send(format === 'xml' ? toXml(result.body) : JSON.stringify(result.body));
}

function fail(response: Response, request: Request, error: unknown): void {
  const result = errorResponse(error);
  const negotiated = negotiateResponseFormat(undefined, headerValue(request, 'accept'));
  send(response, request, result, typeof negotiated === 'string' ? negotiated : 'json');
}

export function createApp(server: FhirServer, options: HttpOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);
  const router = express.Router({ caseSensitive: true, strict: false });

  // Bodies are read raw, whatever their type, up to the limit; parsing is ours (safe with hostile keys).
  router.use(express.raw({ type: () => true, limit: options.maxBodyBytes }));

  router.post(/^\/login\/?$/, (request, response) => {
    if (!options.authenticator)
      return fail(response, request, badRequest('This server runs without authentication'));
    let body: unknown;
    try {
      body = parseBody(request, options.maxDepth);
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
    const negotiated = negotiateResponseFormat(
      formatParameter(request.originalUrl),
      headerValue(request, 'accept'),
    );
    if (typeof negotiated === 'object')
      return fail(
        response,
        request,
        notAcceptable(
          `Cannot answer in '${negotiated.notAcceptable}'; this server speaks application/fhir+json and application/fhir+xml`,
        ),
      );
    try {
      const segments = request.path.split('/').filter(Boolean).map(decodeURIComponent);
      if (options.authenticator && !(segments.length === 1 && segments[0] === 'metadata')) {
        const verdict = options.authenticator.verify(headerValue(request, 'authorization'));
        if (!verdict.ok)
          throw new OutcomeError(401, operationOutcome('error', 'login', verdict.message), {
            'WWW-Authenticate': WWW_AUTHENTICATE,
          });
      }
      const fhirRequest: FhirRequest = {
        method: request.method,
        base: `${request.protocol}://${headerValue(request, 'host') ?? 'localhost'}${options.basePath}`,
        segments,
        query: queryPairs(request.originalUrl),
        headers: {
          ...optional('ifMatch', headerValue(request, 'if-match')),
          ...optional('ifNoneMatch', headerValue(request, 'if-none-match')),
          ...optional('ifModifiedSince', headerValue(request, 'if-modified-since')),
          ...optional('ifNoneExist', headerValue(request, 'if-none-exist')),
          ...optional('prefer', headerValue(request, 'prefer')),
          ...optional('contentType', headerValue(request, 'content-type')),
        },
      };
      const body = parseBody(request, options.maxDepth);
      if (body !== undefined) fhirRequest.body = body;
      send(response, request, server.handle(fhirRequest), negotiated);
    } catch (error) {
      fail(response, request, error);
    }
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
