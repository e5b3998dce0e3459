/**
 * Outcomes: an error is an HTTP status with an OperationOutcome that says what is wrong and where.
 * Handlers throw `OutcomeError` from any depth; the adapter turns it into the response.
 */

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export function operationOutcome(
  severity: IssueSeverity,
  code: string,
  text: string,
  expression?: string,
): fhir4.OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity,
        code: code as fhir4.OperationOutcomeIssue['code'],
        details: { text },
        ...(expression ? { expression: [expression] } : {}),
      },
    ],
  };
}

/**
 * A client's value as a message shows it. `String()` throws on the null-prototype objects our JSON
 * parser builds (no toString), which turned a wrong-typed field into a 500.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}

export class OutcomeError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: fhir4.OperationOutcome,
    /** Headers the error response must carry (Allow on 405, WWW-Authenticate on 401). */
    readonly headers: Record<string, string> = {},
  ) {
    super(outcome.issue.map((i) => i.details?.text ?? i.code).join('; '));
  }
}

/** 400: the request cannot be understood (malformed body, bad parameter, id mismatch). */
export const badRequest = (text: string, expression?: string) =>
  new OutcomeError(400, operationOutcome('error', 'invalid', text, expression));

/** 404: unknown type or id (http.html#read). */
export const notFound = (text: string) => new OutcomeError(404, operationOutcome('error', 'not-found', text));

/** 410: the resource was deleted (http.html#read). */
export const gone = (type: string, id: string) =>
  new OutcomeError(410, operationOutcome('error', 'deleted', `${type}/${id} has been deleted`));

/** 412: a condition (If-Match, If-None-Exist with several matches) failed. */
export const preconditionFailed = (text: string) =>
  new OutcomeError(412, operationOutcome('error', 'conflict', text));

export const conflict = (text: string) => new OutcomeError(409, operationOutcome('error', 'conflict', text));

export const methodNotAllowed = (text: string, allow: string[]) =>
  new OutcomeError(405, operationOutcome('error', 'not-supported', text), { Allow: allow.join(', ') });

export const notAcceptable = (text: string) =>
  new OutcomeError(406, operationOutcome('error', 'not-supported', text));

export const unsupportedMediaType = (text: string) =>
  new OutcomeError(415, operationOutcome('error', 'not-supported', text));

export const payloadTooLarge = (text: string) =>
  new OutcomeError(413, operationOutcome('error', 'too-costly', text));

export const unauthorized = (text: string) =>
  new OutcomeError(401, operationOutcome('error', 'login', text), { 'WWW-Authenticate': 'Bearer' });

/** An unexpected fault: the client learns that the server failed, never a stack trace. */
export const internalError = () =>
  new OutcomeError(500, operationOutcome('fatal', 'exception', 'The server failed to process the request'));

export const informational = (text: string) => operationOutcome('information', 'informational', text);
