/**
 * A generic third-party FHIR R4 server for the scenarios to run against: @medplum/fhir-router's FhirRouter
 * over its MemoryRepository, behind a small express app that does the HTTP binding medplum's own server
 * does (JSON bodies in and out, the status from the OperationOutcome, ETag, Last-Modified and Location)
 * and nothing more: no content negotiation, no validation against the openIMIS profiles.
 *
 * The router has no capabilities interaction, so GET /metadata answers a hand-written
 * CapabilityStatement declaring what the router routes (see the route table in FhirRouter's
 * constructor): create, read, vread, update (If-Match checked), patch, delete, history-instance,
 * search-type (GET and POST _search), conditional create/update/delete, batch and transaction.
 *
 * bench/server/targets.ts starts the same router for the bench, but only for GET and without exporting
 * its pieces, so the definitions are indexed here too.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { getStatus, isOk } from '@medplum/core';
import { indexMedplumDefinitions } from '../../bench/medplum-definitions.js';
import { FhirRouter, MemoryRepository, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';

export interface RunningThirdParty {
  /** The FHIR base, e.g. http://127.0.0.1:4321/fhir */
  url: string;
  close(): Promise<void>;
}

const FHIR_JSON = 'application/fhir+json';
const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

let indexed = false;

/** Medplum's definitions are process-wide: indexed once (the benchmarks share the same code). */
function indexOnce(): void {
  if (indexed) return;
  indexMedplumDefinitions();
  indexed = true;
}

const INSTANCE_INTERACTIONS = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'create',
  'search-type',
] as const;

function declared(type: 'Patient' | 'Coverage'): fhir4.CapabilityStatementRestResource {
  return {
    type,
    interaction: INSTANCE_INTERACTIONS.map((code) => ({ code })),
    // MemoryRepository compares If-Match with the current versionId.
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    conditionalDelete: 'single',
  };
}

/** What the router routes, for the resource types the scenarios write. */
export function medplumCapabilities(base: string): fhir4.CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2025-01-01',
    kind: 'instance',
    software: { name: '@medplum/fhir-router', version: '4.5.2' },
    implementation: { description: 'FhirRouter over MemoryRepository (test double)', url: base },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        resource: (['Patient', 'Coverage'] as const).map(declared),
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }],
      },
    ],
  };
}

function send(response: Response, status: number, body: unknown): void {
  response.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

/** An OperationOutcome for what express itself refuses (a body that does not parse). */
function refusal(status: number, diagnostics: string): fhir4.OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: status === 400 ? 'invalid' : 'exception', diagnostics }],
  };
}

interface Versioned {
  resourceType?: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string };
}

export interface MedplumServerOptions {
  /** Answer GET /metadata with the hand-written CapabilityStatement (default true); false leaves it to
   *  the router, which has no capabilities interaction. */
  capabilityStatement?: boolean;
}

export async function startMedplumServer(options: MedplumServerOptions = {}): Promise<RunningThirdParty> {
  indexOnce();
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  let base = '';

  if (options.capabilityStatement !== false)
    app.get('/fhir/metadata', (_request, response) => send(response, 200, medplumCapabilities(base)));
  app.use(
    '/fhir',
    express.json({ type: [FHIR_JSON, 'application/json', 'application/json-patch+json'], limit: '5mb' }),
    express.urlencoded({ extended: false }),
    async (request: Request, response: Response) => {
      const method = request.method as HttpMethod;
      if (!HTTP_METHODS.includes(method)) {
        send(response, 405, refusal(405, `${request.method} is not supported`));
        return;
      }
      const fhirRequest: FhirRequest = {
        method,
        // The router parses the path and the query itself from `url`, relative to the FHIR base.
        url: request.url,
        pathname: '',
        // express leaves `body` undefined when no parser took the content type.
        body: request.body as unknown,
        params: {},
        query: {},
        headers: request.headers,
      };
      const [outcome, resource] = await router.handleRequest(fhirRequest, repo);
      const status = getStatus(outcome);
      const versioned = resource as Versioned | undefined;
      if (versioned?.meta?.versionId) response.setHeader('ETag', `W/"${versioned.meta.versionId}"`);
      if (versioned?.meta?.lastUpdated)
        response.setHeader('Last-Modified', new Date(versioned.meta.lastUpdated).toUTCString());
      if (status === 201 && versioned?.id && versioned.meta?.versionId)
        response.setHeader(
          'Location',
          `${base}/${versioned.resourceType}/${versioned.id}/_history/${versioned.meta.versionId}`,
        );
      // A successful delete answers the outcome alone; anything else its resource, or the outcome.
      send(response, status, isOk(outcome) ? (resource ?? outcome) : outcome);
    },
  );
  // Bodies the parsers refuse (broken JSON) answer 400 with an OperationOutcome, not express's HTML page.
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    const code = typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
    send(response, code, refusal(code, error instanceof Error ? error.message : String(error)));
  });

  const http: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = http.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/fhir`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
