/**
 * The request a handler sees and the response it gives, with no HTTP in them: the express adapter
 * (http.ts) and the Bundle processor (bundles.ts) both speak this.
 */
import { OutcomeError, badRequest, internalError, operationOutcome } from './outcomes.js';
import { StorageUnavailableError } from './storage/types.js';
import type { Change, ResourceVersion } from './storage/types.js';
import type { JsonObject } from '../json.js';
import type { WriteVerdict } from '../validator/write-check.js';

export interface RequestHeaders {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifNoneExist?: string;
  prefer?: string;
  contentType?: string;
}

/** Write verdicts by the object they judge (a WeakMap does). */
export interface CheckedWrites {
  get(resource: object): WriteVerdict | undefined;
}

export interface FhirRequest {
  method: string;
  /** The absolute base URL without a trailing slash; links and Location start with it. */
  base: string;
  /** The path below the base, split on '/', without empty segments. */
  segments: string[];
  query: [string, string][];
  headers: RequestHeaders;
  /** The parsed body (JSON or XML), when there is one. */
  body?: unknown;
  /**
   * Verdicts of the server's own write check (validator/write-check.ts) reached already, off the event
   * loop, for the objects of this body they judge (the body, or a Bundle's entry resources): a write
   * of one of those objects uses its verdict instead of checking it again. Set by the HTTP adapter for
   * large bodies and by a bulk load, never from what a client sends.
   */
  checked?: CheckedWrites;
  /** Set when the request is an entry of a batch or transaction Bundle. */
  entry?: {
    bundleType: 'batch' | 'transaction';
    index: number;
    /** In a transaction: what the entries planned before this one will commit with it (nothing stored yet). */
    planned?: readonly Change[];
  };
}

export interface FhirResponse {
  status: number;
  body?: JsonObject;
  /** The body already as JSON text, when the handler has it (a read sends the stored text on). */
  bodyText?: string;
  headers: Record<string, string>;
}

/**
 * A response carrying a version as the store keeps it: its JSON text sent on as it is, the resource
 * parsed back only if something asks for `body` (an XML answer, a Bundle entry). Undefined when the store
 * keeps no text.
 */
export function asStoredText(
  status: number,
  headers: Record<string, string>,
  version: ResourceVersion,
): FhirResponse | undefined {
  if (version.json === undefined) return undefined;
  return {
    status,
    headers,
    bodyText: version.json,
    get body() {
      return version.resource as JsonObject;
    },
  };
}

/** What `Prefer` asks for (http.html#ops, search.html#errors). */
export interface Preferences {
  return?: 'minimal' | 'representation' | 'OperationOutcome';
  handling?: 'strict' | 'lenient';
}

export function parsePrefer(header: string | undefined): Preferences {
  const preferences: Preferences = {};
  for (const part of (header ?? '').split(/[,;]/)) {
    const [name, raw] = part.split('=').map((s) => s.trim());
    const value = raw?.replace(/^"|"$/g, '');
    if (
      name === 'return' &&
      (value === 'minimal' || value === 'representation' || value === 'OperationOutcome')
    ) {
      preferences.return = value;
    }
    if (name === 'handling' && (value === 'strict' || value === 'lenient')) preferences.handling = value;
  }
  return preferences;
}

/**
 * `W/"3"`, `"3"` or `3` -> `3`; `*` stays `*`; an empty header is no header. Anything else is a 400:
 * ignoring a malformed If-Match would turn a guarded update into an unguarded one (a lost update).
 */
export function parseETag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === '*') return trimmed || undefined;
  const match = /^(?:W\/)?"([^"\s]+)"$|^([A-Za-z0-9\-.]+)$/.exec(trimmed);
  const tag = match?.[1] ?? match?.[2];
  if (tag === undefined) throw badRequest(`'${trimmed}' is not an entity tag; send W/"<versionId>"`);
  return tag;
}

export const etag = (versionId: string) => `W/"${versionId}"`;

const httpDate = (instant: string) => new Date(instant).toUTCString();

/** The headers that name a version: ETag and Last-Modified (http.html#versioning). */
export function versionHeaders(version: ResourceVersion): Record<string, string> {
  return { ETag: etag(version.versionId), 'Last-Modified': httpDate(version.lastUpdated) };
}

/**
 * The response for anything thrown: an OutcomeError as it says; a store that cannot keep the write 503
 * (its journal is gone) or 507 (the disk is full); anything else a 500 without detail.
 */
export function errorResponse(error: unknown): FhirResponse {
  const known = error instanceof OutcomeError ? error : asOutcomeError(error);
  return { status: known.status, headers: known.headers, body: known.outcome as unknown as JsonObject };
}

/** Whether a thrown value is a fault of the server (a 500), which the log must show. */
export function isFault(error: unknown): boolean {
  return !(error instanceof OutcomeError) && !(error instanceof StorageUnavailableError);
}

function asOutcomeError(error: unknown): OutcomeError {
  if (!(error instanceof StorageUnavailableError)) return internalError();
  return error.kind === 'full'
    ? new OutcomeError(507, operationOutcome('error', 'exception', error.message), { 'Retry-After': '60' })
    : new OutcomeError(503, operationOutcome('error', 'transient', error.message));
}
