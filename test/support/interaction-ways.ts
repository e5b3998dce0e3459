/**
 * One interaction sent three ways, for the suites that check the server runs it the same on each path:
 * as a request of its own, as the entry of a batch, and as the entry of a transaction. `observe` reads
 * each answer into one shape (status, version headers, outcome, resource) so they can be compared.
 */
import { call, post, type Answer, type Json } from './http-server.js';

export type Way = 'rest' | 'batch' | 'transaction';
export const WAYS: Way[] = ['rest', 'batch', 'transaction'];

/** A request as a client would send it on its own; `url` is below the base. */
export interface Interaction {
  method: string;
  url: string;
  headers?: { ifMatch?: string; ifNoneExist?: string; ifNoneMatch?: string };
  /** A resource, or the JSON Patch of a PATCH. */
  body?: unknown;
}

/** What a client sees of one interaction, whichever way it went. */
export interface Observed {
  status: number;
  etag?: string;
  /** Relative to the base. */
  location?: string;
  lastModified: boolean;
  outcome?: { severity: string; code: string; text: string; expression: string[] }[];
  resource?: Json;
}

/** The entry of a Bundle that carries the interaction (a PATCH's document in a Binary). */
export function entryOf(interaction: Interaction): Json {
  const { method, url, headers = {}, body } = interaction;
  const resource =
    method === 'PATCH'
      ? {
          resourceType: 'Binary',
          contentType: 'application/json-patch+json',
          data: Buffer.from(JSON.stringify(body)).toString('base64'),
        }
      : body;
  return { ...(resource !== undefined ? { resource } : {}), request: { method, url, ...headers } };
}

/** A batch or transaction Bundle of interactions. */
export const bundleOf = (type: 'batch' | 'transaction', interactions: Interaction[]): Json => ({
  resourceType: 'Bundle',
  type,
  entry: interactions.map(entryOf),
});

/** Sends the interaction one way; for a Bundle, the answer is the whole Bundle's. */
export function send(base: string, way: Way, interaction: Interaction, prefer?: string): Promise<Answer> {
  const preferHeader: Record<string, string> = prefer ? { prefer } : {};
  if (way !== 'rest') return post(base, bundleOf(way, [interaction]), preferHeader);
  const { ifMatch, ifNoneExist, ifNoneMatch } = interaction.headers ?? {};
  return call(`${base}/${interaction.url}`, {
    method: interaction.method,
    headers: {
      ...preferHeader,
      ...(ifMatch ? { 'if-match': ifMatch } : {}),
      ...(ifNoneExist ? { 'if-none-exist': ifNoneExist } : {}),
      ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}),
      ...(interaction.method === 'PATCH' ? { 'content-type': 'application/json-patch+json' } : {}),
    },
    ...(interaction.body !== undefined ? { body: interaction.body } : {}),
  });
}

/** Sends one interaction one way and reads what came back. */
export async function perform(
  base: string,
  way: Way,
  interaction: Interaction,
  prefer?: string,
): Promise<Observed> {
  return observe(base, way, await send(base, way, interaction, prefer));
}

/**
 * The answer read into one shape. A transaction that failed answers for the whole Bundle, like a
 * request of its own; otherwise the Bundle's first entry is the interaction's answer.
 */
export function observe(base: string, way: Way, answer: Answer): Observed {
  if (way === 'rest' || answer.status !== 200 || answer.body?.resourceType !== 'Bundle') {
    const location = answer.headers.get('location');
    const etag = answer.headers.get('etag');
    const outcome = outcomeOf(answer.body);
    return {
      status: answer.status,
      ...(etag ? { etag } : {}),
      ...(location
        ? { location: location.startsWith(`${base}/`) ? location.slice(base.length + 1) : location }
        : {}),
      lastModified: answer.headers.get('last-modified') !== null,
      ...(outcome ? { outcome } : {}),
      ...(answer.body && !outcome ? { resource: answer.body } : {}),
    };
  }
  return observeEntry(answer.body.entry[0] as Json);
}

/** An entry of a batch-response or transaction-response read into the same shape. */
export function observeEntry(entry: Json): Observed {
  // A Bundle puts the OperationOutcome of a write or an error in response.outcome, and that of an
  // operation in resource: a request of its own has only the body, so both count as the outcome.
  const outcome = outcomeOf((entry.response.outcome ?? entry.resource) as Json | undefined);
  return {
    status: Number.parseInt(String(entry.response.status), 10),
    ...(entry.response.etag ? { etag: String(entry.response.etag) } : {}),
    ...(entry.response.location ? { location: String(entry.response.location) } : {}),
    lastModified: entry.response.lastModified !== undefined,
    ...(outcome ? { outcome } : {}),
    ...(entry.resource && !outcome ? { resource: entry.resource as Json } : {}),
  };
}

function outcomeOf(body: Json | undefined): Observed['outcome'] {
  if (body?.resourceType !== 'OperationOutcome') return undefined;
  return (body.issue as Json[]).map((issue) => ({
    severity: String(issue.severity),
    code: String(issue.code),
    text: String(issue.details?.text ?? ''),
    expression: (issue.expression ?? []) as string[],
  }));
}
