/**
 * `startServer(options) -> {url, close}`: the reference server, wired from its parts (definitions,
 * validator, storage, search, the REST interactions, the express adapter) and listening on loopback
 * unless told otherwise.
 */
import type { AddressInfo, Socket } from 'node:net';
import { STATUS_CODES, createServer, type Server } from 'node:http';
import { DefinitionRegistry } from '../fhir/index.js';
import { readInventory } from '../ig/inventory.js';
import { igPaths, projectVersion } from '../paths.js';
import { Validator } from '../validator/index.js';
import { igProfilesByType } from '../validator/write-check.js';
import { Authenticator, type AuthOptions } from './auth.js';
import { FhirServer } from './fhir-server.js';
import { BodyChecks } from './body-checks/index.js';
import { createListener, type HealthReport } from './http.js';
import { DEFAULT_LIMITS, type RequestLimits } from './limits.js';
import { quietLog, type ServerLog } from './log.js';
import { MemoryBudget } from './memory-budget.js';
import {
  installOpenimis,
  type ClaimReviewOptions,
  type FeedbackSelection,
  type OpenimisBehaviour,
} from './openimis/index.js';
import { seedSandboxPolicy } from './openimis/sandbox.js';
import { Subscriptions, type SubscriptionOptions } from './subscriptions/index.js';
import { operationOutcome } from './outcomes.js';
import { SearchEngine } from './search/index.js';
import { JournalStorage, openStorage } from './storage/index.js';
import type { Change, Storage } from './storage/types.js';
import type { JsonObject } from '../json.js';
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
  /** What one request may hold (limits.ts); each unset one keeps its default. */
  limits?: Partial<RequestLimits>;
  /** Writes are refused above this much memory in use (default: 85% of V8's heap limit). */
  maxMemoryBytes?: number;
  /** Bodies of at least this many bytes are parsed and checked in worker threads (default 256 KiB). */
  offloadBytes?: number;
  /**
   * Bodies of at least this many bytes are checked in a worker thread when one is running and not
   * backed up, else on the event loop (default 4 KiB; Infinity: never).
   */
  shareBytes?: number;
  /** Threads that parse and check request bodies off the event loop (default 1). */
  checkThreads?: number;
  /** A connection with nothing sent or received for this long is closed (default 60 s). */
  socketTimeoutMs?: number;
  /** Where the server logs (refused logins, faults, storage trouble); nothing by default. */
  log?: ServerLog;
  /** Told of every request once answered: time, method, path, status, duration, bytes, client. */
  accessLog?: ServerLog;
  /**
   * Start the threads that check large bodies with the server, not at the first large body (which
   * would wait for them). The command does; servers started from code (tests) start them when needed.
   */
  warmBodyChecks?: boolean;
  /** A client that has not sent all its headers after this long is cut off with 408 (default 10 s). */
  headersTimeoutMs?: number;
  /** A client that has not sent its whole request after this long is cut off with 408 (default 30 s). */
  requestTimeoutMs?: number;
  /** Claims adjudicated on submission (the default) or entered and reviewed later. */
  claimReview?: ClaimReviewOptions;
  /** Which claims are selected for feedback (a CommunicationRequest beside their ClaimResponse); default none. */
  claimFeedback?: FeedbackSelection;
  /** rest-hook notifications: R4's (the default) or openIMIS's; false serves none. */
  subscriptions?: SubscriptionOptions | false;
}

export interface RunningServer {
  /** The FHIR base URL, e.g. http://127.0.0.1:4321/fhir */
  url: string;
  fhir: FhirServer;
  storage: Storage;
  /** Notifications being delivered, when the server serves subscriptions. */
  subscriptions?: Subscriptions;
  /** The login, when the server requires one (its keys can be rotated while it runs). */
  authenticator?: Authenticator;
  /** The IG packages it serves (what a load's validation threads load). */
  igs: string[];
  close(): Promise<void>;
}

const IG_CANONICAL = 'https://openimis.github.io/openimis_fhir_r4_ig';

function normaliseBase(base: string | undefined): string {
  const trimmed = (base ?? '/fhir').replace(/\/+$/, '');
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The parts of a server, without HTTP: what tests and the runner's in-process mode share. */
export function createFhirServer(options: ServerOptions = {}): {
  fhir: FhirServer;
  storage: Storage;
  openimis: OpenimisBehaviour;
  subscriptions?: Subscriptions;
  /** The IG packages it serves. */
  igs: string[];
} {
  const definitions = DefinitionRegistry.withCore();
  const igs = options.igs ?? [igPaths().generatedResources];
  for (const ig of igs) definitions.addPackage(ig);
  const igProfiles = igProfilesByType(definitions, igs);
  const validator = new Validator(definitions);
  // The index exists before the store opens, so a journal's replay feeds it as it goes.
  const search = new SearchEngine(definitions);
  const storage = openStorage(
    options.db === undefined ? {} : { db: options.db, onRestore: (versions) => search.apply(versions) },
  );
  search.follow(storage, false);
  if (options.seed) {
    seedExamples(storage, igs);
    seedSandboxPolicy(storage);
  }
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
    ...(options.log ? { log: options.log } : {}),
  });
  const openimis = installOpenimis(fhir, {
    ...(options.claimReview ? { review: options.claimReview } : {}),
    ...(options.claimFeedback ? { feedback: options.claimFeedback } : {}),
  });
  // After the search index: a subscription's criteria are searched once the index holds the write.
  const subscriptions =
    options.subscriptions === false
      ? undefined
      : new Subscriptions(fhir, {
          ...(options.db ? { logPath: `${options.db}.deliveries` } : {}),
          ...options.subscriptions,
        });
  if (subscriptions) fhir.addPlugin(subscriptions.plugin);
  return { fhir, storage, openimis, igs, ...(subscriptions ? { subscriptions } : {}) };
}

/** Bodies from this size up are parsed and checked off the event loop. */
const DEFAULT_OFFLOAD_BYTES = 256 * 1024;
/**
 * Bodies from this size up are checked in a worker when one is free, in parallel with the event loop:
 * checking a claim of ten lines (about 6 KB) costs the event loop more than handing it over does.
 */
const DEFAULT_SHARE_BYTES = 4 * 1024;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const { fhir, storage, openimis, subscriptions, igs } = createFhirServer(options);
  const log = options.log ?? quietLog;
  for (const note of storage instanceof JournalStorage ? storage.notes : [])
    log({ event: 'journal-lock', detail: note });
  const basePath = normaliseBase(options.base);
  const limits: RequestLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const memory = new MemoryBudget(options.maxMemoryBytes);
  const bodyChecks = new BodyChecks({
    ...(options.checkThreads !== undefined ? { workers: options.checkThreads } : {}),
    setup: {
      igs,
      mode: fhir.parts.writeValidation.mode,
      igProfiles: Object.fromEntries(fhir.parts.igProfiles),
      limits,
    },
  });
  const authenticator = options.auth ? new Authenticator(options.auth) : undefined;
  if (options.warmBodyChecks) bodyChecks.warm();
  const listener = createListener(fhir, {
    basePath,
    ...(authenticator ? { authenticator } : {}),
    limits,
    log,
    offloadBytes: options.offloadBytes ?? DEFAULT_OFFLOAD_BYTES,
    shareBytes: options.shareBytes ?? DEFAULT_SHARE_BYTES,
    bodyChecks,
    memory,
    health: () => healthReport(storage, memory, bodyChecks),
    ...(options.accessLog ? { accessLog: options.accessLog } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  // Slow or silent clients do not hold connections forever. Node only looks for overdue requests every
  // connectionsCheckingInterval (30 s by default), so the check runs often enough for the timeouts to bite.
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout);
  const http: Server = createServer(
    {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
      requireHostHeader: false, // checked in http.ts, which answers with an OperationOutcome
      maxHeaderSize: limits.headerBytes,
    },
    listener,
  );
  http.keepAliveTimeout = 5_000;
  // One more than the limit, so that http.ts sees that there were too many (Node drops the rest).
  http.maxHeadersCount = limits.headers + 1;
  // A connection on which nothing moves (a client that stopped reading its response, one that went
  // silent) is closed and its buffers freed.
  http.setTimeout(options.socketTimeoutMs ?? 60_000, (socket) => socket.destroy());
  http.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    const refused = (error: Error) => {
      storage.close(); // a durable store's lock is not left behind by a server that never started
      reject(error);
    };
    http.once('error', refused);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', refused);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  subscriptions?.listeningOn(port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${basePath}`,
    fhir,
    storage,
    ...(subscriptions ? { subscriptions } : {}),
    ...(authenticator ? { authenticator } : {}),
    igs,
    close: () =>
      new Promise<void>((resolve) => {
        openimis.close();
        subscriptions?.close();
        void bodyChecks.close();
        http.closeAllConnections();
        http.close(() => {
          storage.close();
          resolve();
        });
      }),
  };
}

/** Storage and memory, as /healthz and /readyz report them. */
function healthReport(storage: Storage, memory: MemoryBudget, bodyChecks: BodyChecks): HealthReport {
  const stored = storage.health();
  const { inUse, maxBytes, ok: memoryOk } = memory.state();
  const checking = bodyChecks.state();
  return {
    ready: stored.writable && memoryOk,
    checks: {
      storage: stored.writable ? { ok: true } : { ok: false, detail: stored.reason },
      memory: {
        ok: memoryOk,
        detail:
          `${Math.round(inUse / (1 << 20))} MiB in use of a ${Math.round(maxBytes / (1 << 20))} MiB budget` +
          (memoryOk ? '' : '; writes are being refused'),
      },
      // Informative: a server with no checking thread running checks bodies on its event loop.
      bodyChecks: {
        ok: true,
        detail: `${checking.running} checking thread(s) running; ${checking.checked} bodies checked there, ${checking.waiting} waiting`,
      },
    },
  };
}

const CLIENT_ERRORS: Record<string, { status: number; text: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, text: 'The request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, text: 'The request was not received in time' },
};

/**
 * Requests Node's HTTP parser refuses before express sees them (an unknown method, a malformed
 * request line or header, headers too large, a client too slow) get an OperationOutcome too, like
 * every other error, and the connection is closed.
 */
function answerClientError(error: Error & { code?: string }, duplex: unknown): void {
  const socket = duplex as Socket & { _httpMessage?: { headersSent?: boolean } | null };
  // Nothing can be said on a connection that is gone, or in the middle of a response already started.
  if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, text } = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    text: 'The request cannot be parsed as HTTP/1.1',
  };
  const body = JSON.stringify(operationOutcome('error', status === 408 ? 'timeout' : 'invalid', text));
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/fhir+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // Closed once the answer is out, whatever the client still sends.
  socket.destroySoon();
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
