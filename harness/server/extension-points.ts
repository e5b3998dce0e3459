/**
 * How behaviour enters the server: the parts a server is made of, what operations and type plug-ins
 * receive, and the shape of a write before it is stored (a plan). openIMIS behaviour (adjudication,
 * eligibility, enrollment, invoices) is added through `FhirServer.addOperation` and `addPlugin` with
 * these types, and notifications through `Storage.onCommit`; the REST core stays generic.
 *
 * Every write interaction (create, update, patch, delete and their conditional forms) is first planned,
 * then committed: a request of its own commits its plan alone, a transaction commits the plans of all
 * its entries at once. A plug-in sees the plan on every path, so a rule it adds holds for a `POST
 * /Claim` and for a Claim inside a batch or a transaction alike.
 */
import type { DefinitionRegistry } from '../fhir/index.js';
import type { JsonObject } from '../json.js';
import type { Validator } from '../validator/index.js';
import type { FhirRequest, FhirResponse } from './exchange.js';
import type { ServerLog } from './log.js';
import type { SearchEngine } from './search/index.js';
import type { Change, ResourceVersion, Storage } from './storage/types.js';
import type { WriteValidation } from './write-validation.js';

/** What a server is made of. */
export interface FhirServerParts {
  definitions: DefinitionRegistry;
  storage: Storage;
  search: SearchEngine;
  validator: Validator;
  writeValidation: WriteValidation;
  igProfiles: Map<string, string[]>;
  instantiates: string[];
  authentication: boolean;
  softwareVersion: string;
  /** Where faults are logged (none when absent). */
  log?: ServerLog;
}

/** What operations and plug-ins may use of the server: its parts, and any interaction by request. */
export interface ServerServices {
  readonly parts: FhirServerParts;
  /** Runs a request as if a client sent it; never throws (failures are OperationOutcome responses). */
  handle(request: FhirRequest): FhirResponse;
}

/** Context an operation or a type plug-in receives. */
export interface ServerContext {
  server: ServerServices;
  request: FhirRequest;
}

/** The interactions on a resource type (CapabilityStatement.rest.resource.interaction codes). */
export const TYPE_INTERACTIONS = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'history-type',
  'create',
  'search-type',
] as const;
export type TypeInteraction = (typeof TYPE_INTERACTIONS)[number];

/** The interactions on the whole system (CapabilityStatement.rest.interaction codes). */
export type SystemInteraction = 'transaction' | 'batch' | 'search-system' | 'history-system';

/** The write interactions a plan is made for. */
export type WriteInteraction = 'create' | 'update' | 'patch' | 'delete';

/** Where a request comes from: sent on its own, or an entry of a batch or of a transaction. */
export type RequestPath = 'rest' | 'batch' | 'transaction';

/**
 * A write, checked and ready, with nothing stored yet: the changes it commits and the answer it gives
 * once they are committed.
 */
export interface WritePlan {
  /** Committed atomically (with the rest of the transaction, in a transaction). */
  changes: Change[];
  /** The answer, from the versions the commit made for `changes`, in the same order. */
  answer(versions: ResourceVersion[]): FhirResponse;
}

/** What a plug-in is told of a write of its type. */
export interface WriteContext extends ServerContext {
  interaction: WriteInteraction;
  via: RequestPath;
  type: string;
  id: string;
  /** The resource about to be stored: absent for a delete. Already validated. */
  resource?: JsonObject;
  /** The version the write replaces: absent for a create (or a create on update). */
  current?: ResourceVersion;
  /**
   * In a transaction, what its entries planned before this one: committed together with this write,
   * not stored yet. Empty otherwise.
   */
  planned: readonly Change[];
}

/**
 * Per-type behaviour plugged into the generic server (claim adjudication, enrollment rules).
 */
export interface TypePlugin {
  type: string;
  /**
   * The interactions clients may use on this type; absent: all the server has. Others are answered
   * with 405, and the CapabilityStatement declares only these.
   */
  interactions?: readonly TypeInteraction[];
  /** What the CapabilityStatement says of the type (rest.resource.documentation). */
  documentation?: string;
  /**
   * Sees every write of its type (create, update, patch, delete, conditional or not; on its own, in a
   * batch or in a transaction) once it is checked and before anything is stored. It may refuse by
   * throwing an OutcomeError (nothing of the write is stored, nor of its transaction), or return the
   * plan to use instead: more changes to commit atomically with the write, or another answer (openIMIS
   * answers a Claim with its ClaimResponse). Returning undefined keeps the plan.
   */
  write?(context: WriteContext, plan: WritePlan): WritePlan | undefined;
}

/** An operation (`$name`) at system, type or instance level (operations.html). */
export interface OperationHandler {
  name: string;
  /** The canonical URL of its OperationDefinition. */
  definition: string;
  /** The resource types it applies to (type and instance level); absent: any. */
  types?: string[];
  /** Invocable on the base URL. */
  system?: boolean;
  /**
   * It changes stored data (OperationDefinition.affectsState): then it cannot be invoked with GET, nor
   * inside a transaction, whose writes must commit as one.
   */
  affectsState?: boolean;
  handle(context: ServerContext, target: { type?: string; id?: string }): FhirResponse;
}
