/**
 * `startServer(options) -> {url, close}`: the reference server, wired from its parts (definitions,
 * validator, storage, search, the REST interactions, the express adapter) and listening on loopback
 * unless told otherwise.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DefinitionRegistry } from '../fhir/index.js';
import { readInventory } from '../ig/inventory.js';
import { igPaths, projectVersion } from '../paths.js';
import { Validator } from '../validator/index.js';
import { Authenticator, type AuthOptions } from './auth.js';
import { FhirServer } from './fhir-server.js';
import { createApp } from './http.js';
import { SearchEngine } from './search/index.js';
import { openStorage } from './storage/index.js';
import type { Change, JsonObject, Storage } from './types.js';
import { WriteValidation, type ValidationMode } from './write-validation.js';

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 127.0.0.1 unless told otherwise. */
  host?: string;
  /** Where the FHIR base is mounted: '/fhir' by default. */
  base?: string;
  /** A journal file that makes the data durable; in memory without it. */
  db?: string;
  /** Load the IG's example instances at start. */
  seed?: boolean;
  /** Require the openIMIS login and a Bearer token. */
  auth?: AuthOptions;
  validation?: ValidationMode;
  /** IG packages (folders, packages, .tgz); default: this project's fsh-generated/resources. */
  igs?: string[];
  /** Request bodies over this size get 413 (default 10 MB). */
  maxBodyBytes?: number;
}

export interface RunningServer {
  /** The FHIR base URL, e.g. http://127.0.0.1:4321/fhir */
  url: string;
  fhir: FhirServer;
  storage: Storage;
  close(): Promise<void>;
}

const IG_CANONICAL = 'https://openimis.github.io/openimis_fhir_r4_ig';

function normaliseBase(base: string | undefined): string {
  const trimmed = (base ?? '/fhir').replace(/\/+$/, '');
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The parts of a server, without HTTP: what tests and the runner's in-process mode share. */
export function createFhirServer(options: ServerOptions = {}): { fhir: FhirServer; storage: Storage } {
  const definitions = DefinitionRegistry.withCore();
  const igs = options.igs ?? [igPaths().generatedResources];
  for (const ig of igs) definitions.addPackage(ig);
  const igProfiles = new Map<string, string[]>();
  for (const ig of igs) {
    for (const [type, urls] of definitions.profilesBySource(ig))
      igProfiles.set(type, [...(igProfiles.get(type) ?? []), ...urls]);
  }
  const validator = new Validator(definitions);
  const storage = openStorage(options.db === undefined ? {} : { db: options.db });
  if (options.seed) seedExamples(storage, igs);
  const search = new SearchEngine(definitions, storage);
  const fhir = new FhirServer({
    definitions,
    storage,
    search,
    validator,
    writeValidation: new WriteValidation(validator, options.validation ?? 'strict', igProfiles),
    igProfiles,
    instantiates: [`${IG_CANONICAL}/CapabilityStatement/openIMISCapabilityStatement`],
    authentication: options.auth !== undefined,
    softwareVersion: projectVersion(),
  });
  return { fhir, storage };
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const { fhir, storage } = createFhirServer(options);
  const basePath = normaliseBase(options.base);
  const app = createApp(fhir, {
    basePath,
    ...(options.auth ? { authenticator: new Authenticator(options.auth) } : {}),
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    maxDepth: 200,
  });
  const host = options.host ?? '127.0.0.1';
  const http: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, host, () => resolve(listening));
    listening.once('error', reject);
  });
  // Slow or silent clients do not hold connections forever.
  http.requestTimeout = 30_000;
  http.headersTimeout = 10_000;
  http.keepAliveTimeout = 5_000;
  const { port } = http.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${basePath}`,
    fhir,
    storage,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => {
          storage.close();
          resolve();
        });
      }),
  };
}

/** The IG's examples, stored as they are (ids kept), when the store does not hold them yet. */
function seedExamples(storage: Storage, igs: string[]): void {
  const changes: Change[] = [];
  for (const ig of igs) {
    let examples: { resource: unknown }[];
    try {
      examples = readInventory(ig).examples;
    } catch {
      continue;
    }
    for (const { resource } of examples) {
      const record = resource as JsonObject;
      const type = String(record.resourceType);
      const id = String(record.id);
      if (storage.read(type, id)) continue;
      changes.push({ kind: 'write', type, id, resource: record, method: 'PUT' });
    }
  }
  if (changes.length > 0) storage.commit(changes);
}
