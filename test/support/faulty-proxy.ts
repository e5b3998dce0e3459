/**
 * A proxy to the real bundled server that breaks one rule: it changes a request before forwarding it,
 * answers it instead of the server, or changes the server's answer. The workflow tests use it to prove
 * that a scenario names the step a server gets wrong.
 */
import type { ServerResponse } from 'node:http';
import type { RunningServer } from '../../harness/server/server.js';
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
  /** Changes an answer before the runner sees it. */
  response?(method: string, path: string, body: Json): Json | undefined;
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
      if (text && fault.response) {
        const replaced = fault.response(request.method, path, JSON.parse(text) as Json);
        if (replaced) out = JSON.stringify(replaced);
      }
      response.writeHead(forwarded.status, { 'content-type': 'application/fhir+json' }).end(out);
    })();
  });
}
