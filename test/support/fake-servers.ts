/**
 * Helpers for the runner's tests: tiny HTTP servers that answer what a test tells them (to misbehave on
 * purpose), a CapabilityStatement builder, and the bundled server on a free port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach } from 'vitest';
import type { RunOptions, RunResult, ScenarioDefinition, StepResult } from '../../harness/runner/index.js';
import { runScenarios } from '../../harness/runner/index.js';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (request: SeenRequest, response: ServerResponse, socket: Socket) => void;

export interface FakeServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A server whose every answer is the handler's; it records what it was sent. */
export async function fakeServer(handler: Handler): Promise<FakeServer> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(entry);
      handler(entry, response, request.socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fhir`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/fhir+json',
): void {
  response.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
}

/** A CapabilityStatement declaring the given `Type: [interactions]`, system interactions and operations. */
export function capabilityStatement(
  resources: Record<string, string[]>,
  system: string[] = [],
  operations: string[] = [],
): fhir4.CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'fake', version: '0.0.1' },
    rest: [
      {
        mode: 'server',
        interaction: system.map((code) => ({ code }) as fhir4.CapabilityStatementRestInteraction),
        operation: operations.map((name) => ({
          name,
          definition: `http://example.org/OperationDefinition/${name}`,
        })),
        resource: Object.entries(resources).map(
          ([type, codes]) =>
            ({
              type,
              interaction: codes.map((code) => ({ code })),
            }) as fhir4.CapabilityStatementRestResource,
        ),
      },
    ],
  };
}

/**
 * Fake targets for the tests of one file: each answers /metadata with `statement` and the rest with its
 * handler, and is closed after the test that made it.
 */
export function fakeTargetsPerTest(
  statement: fhir4.CapabilityStatement,
): (handler: Handler) => Promise<FakeServer> {
  const servers: FakeServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (handler) => {
    const server = await fakeServer(withMetadata(statement, handler));
    servers.push(server);
    return server;
  };
}

/** Answers /metadata with `statement`, and everything else with `rest`. */
export function withMetadata(statement: fhir4.CapabilityStatement, rest: Handler): Handler {
  return (request, response, socket) => {
    if (request.path.startsWith('/fhir/metadata')) return json(response, 200, statement);
    rest(request, response, socket);
  };
}

export async function run(
  scenarios: ScenarioDefinition[],
  baseUrl: string,
  options: Partial<RunOptions> = {},
): Promise<RunResult> {
  return runScenarios(scenarios, { ...options, target: { baseUrl, ...options.target } });
}

/** The one step of the one scenario of a run (most fault tests have one). */
export function onlyStep(result: RunResult): StepResult {
  const step = result.scenarios[0]?.steps[0];
  if (!step)
    throw new Error(`no step ran: ${JSON.stringify(result.infrastructureError ?? result.scenarios)}`);
  return step;
}
