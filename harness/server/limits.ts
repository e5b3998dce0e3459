/**
 * What one request may hold. Each limit is checked while the request is read (a body's bytes as they
 * arrive, JSON values as they are parsed), so a request over one costs no more than the limit itself,
 * and each is answered with a 4xx OperationOutcome that names it. The defaults sit far above any real
 * payload: a transaction Bundle of 1,000 openIMIS claims holds about 3 MB, 150,000 values, and arrays of
 * 1,000 items.
 */
import type { ParseLimit, ParseOptions } from '../validator/json-source.js';

export interface RequestLimits {
  /** Bytes of a request body (413). */
  bodyBytes: number;
  /** Bytes of the request target, path and query (414). */
  urlBytes: number;
  /** Bytes of the request line and headers together (431; Node's header parser enforces it). */
  headerBytes: number;
  /** Header fields (431). */
  headers: number;
  /** Query and form parameters of one request together (400). */
  parameters: number;
  /** Nesting of arrays and objects in a JSON body (400). */
  jsonDepth: number;
  /** Values in a JSON or XML body: objects, arrays, strings, numbers, literals; elements in XML (413). */
  jsonNodes: number;
  /** Items in one JSON array (413). */
  arrayLength: number;
  /** Characters in one JSON string (413); an attachment's base64 data is one string. */
  stringLength: number;
  /** Bytes of a login body (413), read before anything about the client is known. */
  loginBodyBytes: number;
}

export const DEFAULT_LIMITS: Readonly<RequestLimits> = Object.freeze({
  bodyBytes: 10 * 1024 * 1024,
  urlBytes: 8 * 1024,
  headerBytes: 16 * 1024,
  headers: 100,
  parameters: 1_000,
  jsonDepth: 200,
  jsonNodes: 1_000_000,
  arrayLength: 100_000,
  stringLength: 8 * 1024 * 1024,
  loginBodyBytes: 4 * 1024,
});

/** The names limits go by on the command line (`--limit body-bytes=20000000`) and in messages. */
export const LIMIT_FLAGS: Readonly<Record<keyof RequestLimits, string>> = Object.freeze({
  bodyBytes: 'body-bytes',
  urlBytes: 'url-bytes',
  headerBytes: 'header-bytes',
  headers: 'headers',
  parameters: 'parameters',
  jsonDepth: 'json-depth',
  jsonNodes: 'json-nodes',
  arrayLength: 'array-length',
  stringLength: 'string-length',
  loginBodyBytes: 'login-body-bytes',
});

/** How a refusal names a limit: what it is, its value, and how to change it. */
export function limitText(limit: keyof RequestLimits, limits: RequestLimits): string {
  return `the '${LIMIT_FLAGS[limit]}' limit (${limits[limit]}; serve --limit ${LIMIT_FLAGS[limit]}=N)`;
}

/**
 * Limits from `name=value` settings (the command line), over the defaults; an Error naming the bad
 * setting otherwise.
 */
export function parseLimits(settings: readonly string[]): RequestLimits | Error {
  const limits: RequestLimits = { ...DEFAULT_LIMITS };
  const byFlag = new Map(
    Object.entries(LIMIT_FLAGS).map(([key, flag]) => [flag, key as keyof RequestLimits]),
  );
  for (const setting of settings) {
    const match = /^([a-z-]+)=(\d{1,15})$/.exec(setting.trim());
    const key = match ? byFlag.get(match[1] as string) : undefined;
    if (!match || key === undefined)
      return new Error(
        `--limit takes NAME=N with NAME one of ${[...byFlag.keys()].join(', ')}; not '${setting}'`,
      );
    const value = Number(match[2]);
    if (value < 1) return new Error(`--limit ${match[1]} must be at least 1`);
    limits[key] = value;
  }
  return limits;
}

/** The limits that bound a JSON body, as the parser takes them. */
export function jsonParseLimits(limits: RequestLimits): ParseOptions {
  return {
    maxDepth: limits.jsonDepth,
    maxNodes: limits.jsonNodes,
    maxArrayLength: limits.arrayLength,
    maxStringLength: limits.stringLength,
  };
}

const PARSE_LIMITS: Readonly<Record<ParseLimit, keyof RequestLimits>> = {
  depth: 'jsonDepth',
  nodes: 'jsonNodes',
  array: 'arrayLength',
  string: 'stringLength',
};

/**
 * The answer to a JSON body the parser stopped on: 400 for broken JSON (and nesting too deep, which a
 * FHIR resource never needs), 413 for a body over a size limit, naming the limit and its flag.
 */
export function jsonFailure(error: { message: string; limit?: ParseLimit }): {
  status: 400 | 413;
  message: string;
} {
  if (error.limit === undefined)
    return { status: 400, message: `The body is not valid JSON: ${error.message}` };
  const flag = LIMIT_FLAGS[PARSE_LIMITS[error.limit]];
  return {
    status: error.limit === 'depth' ? 400 : 413,
    message: `The body is refused: ${error.message} (the '${flag}' limit; serve --limit ${flag}=N)`,
  };
}

/**
 * XML is parsed by a library that knows no limits: its elements and their nesting are counted first, in
 * one pass over the text (a tag opens, closes, or closes itself; quoted attribute values are skipped).
 * The answer when the text is over a limit, else undefined.
 */
export function xmlSizeProblem(
  text: string,
  limits: RequestLimits,
): { status: 400 | 413; message: string } | undefined {
  let elements = 0;
  let depth = 0;
  for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
    const next = text.charCodeAt(at + 1);
    if (next === 0x2f /* / */) {
      depth--;
      continue;
    }
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) continue;
    let end = at + 1;
    for (let quote = 0; end < text.length; end++) {
      const c = text.charCodeAt(end);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e /* > */) break;
    }
    elements++;
    if (text.charCodeAt(end - 1) !== 0x2f) depth++;
    if (elements > limits.jsonNodes)
      return {
        status: 413,
        message: `The XML body has more than ${limits.jsonNodes} elements: ${limitText('jsonNodes', limits)}`,
      };
    if (depth > limits.jsonDepth)
      return {
        status: 400,
        message: `The XML body nests deeper than ${limits.jsonDepth} levels: ${limitText('jsonDepth', limits)}`,
      };
    at = end;
  }
  return undefined;
}
