/**
 * A proxy to the real bundled server that breaks one rule: it changes a request before forwarding it,
 * answers it instead of the server, or changes the server's answer. The workflow tests use it to prove
 * that a scenario names the step a server gets wrong.
 */
import type { ServerResponse } from 'node:http';
import { startServer, type RunningServer, type ServerOptions } from '../../harness/server/server.js';
import {
  runScenarios,
  type RunOptions,
  type RunResult,
  type ScenarioDefinition,
} from '../../harness/runner/index.js';
import { fakeServer, type FakeServer, type SeenRequest } from './fake-servers.js';

export type Json = Record<string, unknown>;

export interface Fault {
  /**
   * Changes a request body before it is forwarded; `answer` instead answers it without forwarding (with
   * `status`, 201 by default).
   */
  request?(
    method: string,
    path: string,
    body: Json | undefined,
  ): { body?: Json; answer?: Json; status?: number } | undefined;
  /** Changes an answer (its body, and its status when given) before the runner sees it. */
  response?(
    method: string,
    path: string,
    body: Json,
    status: number,
  ): { status?: number; body: Json } | undefined;
  /** Forwards a conditional create without its If-None-Exist header. */
  dropIfNoneExist?: boolean;
  /** Changes the path (with its query) before it is forwarded. */
  rewritePath?(path: string): string;
}

/** A proxy to the real bundled server that breaks one rule. */
export function faulty(upstream: RunningServer, fault: Fault): Promise<FakeServer> {
  return fakeServer((request: SeenRequest, response: ServerResponse) => {
    void (async () => {
      const path = request.path.replace(/^\/fhir/, '');
      let body = request.body ? (JSON.parse(request.body) as Json) : undefined;
      const changed = fault.request?.(request.method, path, body);
      if (changed?.answer) {
        response
          .writeHead(changed.status ?? 201, { 'content-type': 'application/fhir+json' })
          .end(JSON.stringify(changed.answer));
        return;
      }
      if (changed?.body) body = changed.body;
      const forwarded = await fetch(`${upstream.url}${fault.rewritePath?.(path) ?? path}`, {
        method: request.method,
        headers: {
          'content-type': 'application/fhir+json',
          accept: 'application/fhir+json',
          ...(request.headers['if-none-exist'] && !fault.dropIfNoneExist
            ? { 'if-none-exist': String(request.headers['if-none-exist']) }
            : {}),
          ...(request.headers.prefer ? { prefer: String(request.headers.prefer) } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await forwarded.text();
      let out = text;
      let status = forwarded.status;
      if (text && fault.response) {
        const replaced = fault.response(request.method, path, JSON.parse(text) as Json, status);
        if (replaced) {
          out = JSON.stringify(replaced.body);
          status = replaced.status ?? status;
        }
      }
      response.writeHead(status, { 'content-type': 'application/fhir+json' }).end(out);
    })();
  });
}

/**
 * The bundled server behind faulty proxies, for a suite that breaks one rule per test: `runUnder(fault,
 * scenarios)` runs the scenarios through a new proxy; `close()` ends them all.
 */
export function faultyTargets(options: ServerOptions = {}) {
  let upstream: RunningServer | undefined;
  const proxies: FakeServer[] = [];
  return {
    async start(): Promise<void> {
      upstream = await startServer({ port: 0, ...options });
    },
    async runUnder(
      fault: Fault,
      scenarios: ScenarioDefinition[],
      run: Omit<RunOptions, 'target'> = {},
    ): Promise<RunResult> {
      const proxy = await faulty(upstream as RunningServer, fault);
      proxies.push(proxy);
      return runScenarios(scenarios, { ...run, target: { baseUrl: proxy.url } });
    },
    async close(): Promise<void> {
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await upstream?.close();
    },
  };
}
