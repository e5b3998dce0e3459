/**
 * One measurement with autocannon: a number of connections, each request asking for a path the case
 * picks (a random id or identifier from the loaded set), for a fixed time or a fixed number of requests.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  /** The FHIR base, e.g. http://127.0.0.1:4321/fhir */
  base: string;
  /** The path below the base for the next request, e.g. `Patient/pt-42`. */
  nextPath: () => string;
  /** For POSTs: the body of the next request (sent as application/fhir+json with `nextPath`). */
  nextBody?: () => string;
  connections: number;
  /** How long to run, or how many requests to make (then every request is answered before it returns). */
  limit: { seconds: number } | { requests: number };
}

export interface LoadResult {
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  requests: number;
  seconds: number;
  /** Responses other than 2xx, and connection errors or timeouts: a measurement with any is suspect. */
  non2xx: number;
  errors: number;
}

export async function measure(options: LoadOptions): Promise<LoadResult> {
  const base = new URL(options.base);
  const prefix = base.pathname.replace(/\/$/, '');
  const result = await autocannon({
    url: base.origin,
    connections: options.connections,
    ...('seconds' in options.limit
      ? { duration: options.limit.seconds }
      : { amount: options.limit.requests }),
    // Medplum's searches scan every resource and take seconds under load; they count, they do not time out.
    timeout: 120,
    requests: [
      options.nextBody
        ? {
            method: 'POST',
            setupRequest: (request) => ({
              ...request,
              path: `${prefix}/${options.nextPath()}`,
              headers: { ...request.headers, 'content-type': 'application/fhir+json' },
              body: (options.nextBody as () => string)(),
            }),
          }
        : {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: `${prefix}/${options.nextPath()}` }),
          },
    ],
  });
  return {
    // Completed requests over the run; autocannon's per-second average is coarse when a case is slow.
    requestsPerSecond: round(result.requests.total / result.duration),
    latencyMs: {
      p50: round(result.latency.p50),
      p90: round(result.latency.p90),
      p99: round(result.latency.p99),
      max: round(result.latency.max),
    },
    requests: result.requests.total,
    seconds: round(result.duration),
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function round(value: number): number {
  return value >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}
