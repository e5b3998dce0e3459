/**
 * The FHIR REST API (http.html) over a Storage and a SearchEngine, knowing nothing of HTTP: a
 * FhirRequest in, a FhirResponse out. The route table below has one line per interaction; a request of
 * its own and every entry of a batch or transaction are matched against it and run the same
 * interaction. Operations and type plug-ins are registered here, and the CapabilityStatement is derived
 * from what is registered, so it cannot disagree with the routes. Errors are thrown as OutcomeError from
 * any depth and become the response in one place.
 */
import { isJsonObject } from '../json.js';
import { processBundle, type BundleHost, type ResolvedRoute } from './bundles.js';
import { capabilityStatement, type ResourceCapability } from './capability.js';
import { errorResponse, isFault, type FhirRequest, type FhirResponse } from './exchange.js';
import {
  TYPE_INTERACTIONS,
  type FhirServerParts,
  type OperationHandler,
  type SystemInteraction,
  type TypeInteraction,
  type TypePlugin,
} from './extension-points.js';
import { validateOperation } from './operations/validate.js';
import { badRequest, methodNotAllowed, notFound } from './outcomes.js';
import { ReadInteractions } from './reads.js';
import { RouteTable, answer, isWriteRoute, write, type Route, type RouteParams } from './routes.js';
import { StorageUnavailableError } from './storage/types.js';
import { ID_PATTERN, WriteInteractions } from './writes.js';

const READ = ['GET', 'HEAD'];

export class FhirServer implements BundleHost {
  private readonly operations = new Map<string, OperationHandler>();
  private readonly plugins = new Map<string, TypePlugin>();
  private readonly reads: ReadInteractions;
  readonly writes: WriteInteractions;
  private readonly routes: RouteTable;

  constructor(readonly parts: FhirServerParts) {
    this.reads = new ReadInteractions(parts);
    this.writes = new WriteInteractions(this, (type) => this.plugins.get(type));
    const type = (params: RouteParams) => params.type as string;
    const id = (params: RouteParams) => params.id as string;
    // One line per interaction: path below the base, methods, CapabilityStatement codes, what runs (http.html anchor).
    // prettier-ignore
    this.routes = new RouteTable([
      answer('',                            ['GET'],          ['search-system'],         (r) => this.reads.search(r, undefined)),                    // #search
      answer('',                            ['POST'],         ['transaction', 'batch'],  (r) => this.bundle(r)),                                     // #transaction
      answer('_search',                     ['POST'],         ['search-system'],         (r) => this.reads.search(r, undefined)),                    // #search
      answer('_history',                    READ,             ['history-system'],        (r) => this.reads.history(r, {})),                          // #history
      answer('metadata',                    ['GET'],          [],                        (r) => this.capabilities(r)),                               // #capabilities
      answer('$operation',                  ['GET', 'POST'],  [],                        (r, p) => this.operation(r, p)),                            // operations.html
      answer(':type',                       ['GET'],          ['search-type'],           (r, p) => this.reads.search(r, type(p))),                   // #search
      write(':type',                        ['POST'],         ['create'],                (r, p) => this.writes.create(r, type(p))),                  // #create, #ccreate
      write(':type',                        ['PUT'],          ['update'],                (r, p) => this.conditionalUpdate(r, type(p)), true),        // #cond-update
      write(':type',                        ['DELETE'],       ['delete'],                (r, p) => this.writes.conditionalDelete(r, type(p)), true), // #cond-delete
      answer(':type/_search',               ['POST'],         ['search-type'],           (r, p) => this.reads.search(r, type(p))),                   // #search
      answer(':type/_history',              READ,             ['history-type'],          (r, p) => this.reads.history(r, { type: type(p) })),        // #history
      answer(':type/$operation',            ['GET', 'POST'],  [],                        (r, p) => this.operation(r, p)),                            // operations.html
      answer(':type/:id',                   READ,             ['read'],                  (r, p) => this.reads.read(r, type(p), id(p))),              // #read
      write(':type/:id',                    ['PUT'],          ['update'],                (r, p) => this.writes.update(r, type(p), id(p))),           // #update
      write(':type/:id',                    ['PATCH'],        ['patch'],                 (r, p) => this.writes.patch(r, type(p), id(p))),            // #patch
      write(':type/:id',                    ['DELETE'],       ['delete'],                (r, p) => this.writes.delete(r, type(p), id(p))),           // #delete
      answer(':type/:id/$operation',        ['GET', 'POST'],  [],                        (r, p) => this.operation(r, p)),                            // operations.html
      answer(':type/:id/_history',          READ,             ['history-instance'],      (r, p) => this.reads.history(r, { type: type(p), id: id(p) })), // #history
      answer(':type/:id/_history/:version', READ,             ['vread'],                 (r, p) => this.reads.vread(r, type(p), id(p), p.version as string)), // #vread
    ]);
    this.addOperation(validateOperation);
  }

  /** Adds a `$operation` at system, type or instance level; the CapabilityStatement declares it. */
  addOperation(operation: OperationHandler): void {
    this.operations.set(operation.name, operation);
  }

  /** Adds per-type behaviour; one plug-in per type (a second replaces the first). */
  addPlugin(plugin: TypePlugin): void {
    this.plugins.set(plugin.type, plugin);
  }

  /** Routes and runs a request; never throws: every failure is an OperationOutcome response. */
  handle(request: FhirRequest): FhirResponse {
    try {
      const { route, params } = this.resolve(request);
      return isWriteRoute(route)
        ? this.writes.run(route.plan(request, params))
        : route.answer(request, params);
    } catch (error) {
      this.logRefusal(request, error);
      return errorResponse(error);
    }
  }

  /** Faults (500s, with their stack) and writes the store could not keep go to the log. */
  private logRefusal(request: FhirRequest, error: unknown): void {
    const path = `/${request.segments.join('/')}`;
    if (error instanceof StorageUnavailableError)
      this.parts.log?.({
        event: 'write-refused-storage',
        method: request.method,
        path,
        reason: error.message,
      });
    else if (isFault(error))
      this.parts.log?.({
        event: 'internal-error',
        method: request.method,
        path,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
  }

  /** The route a request takes: 404 for no such path or type, 400 for a bad id, 405 for a method. */
  resolve(request: FhirRequest): ResolvedRoute {
    const { method, segments } = request;
    const match = this.routes.match(segments);
    if (!match) throw notFound(`No interaction at /${segments.join('/')}`);
    const { params } = match;
    if (params.type !== undefined && !this.parts.definitions.isResourceType(params.type))
      throw notFound(`'${params.type}' is not a resource type this server supports`);
    if (params.id !== undefined && !ID_PATTERN.test(params.id))
      throw badRequest(`'${params.id}' is not a valid resource id`);
    const allowed = match.routes.filter((route) => this.allows(params.type, route));
    const route = allowed.find((candidate) => candidate.methods.includes(method));
    if (!route) {
      const where = segments.length === 0 ? 'the base URL' : `/${segments.join('/')}`;
      throw methodNotAllowed(`${method} is not allowed on ${where}`, [
        ...new Set(allowed.flatMap((candidate) => candidate.methods)),
      ]);
    }
    const operation = params.operation === undefined ? undefined : this.operations.get(params.operation);
    const changesData =
      isWriteRoute(route) || route.interactions.includes('transaction') || operation?.affectsState === true;
    return { route, params, changesData };
  }

  /** Whether the type's plug-in lets clients use a route (operations are governed by their own types). */
  private allows(type: string | undefined, route: Route): boolean {
    const permitted = type === undefined ? undefined : this.plugins.get(type)?.interactions;
    if (!permitted || route.interactions.length === 0) return true;
    return route.interactions.some((code) => (permitted as readonly string[]).includes(code));
  }

  /** http.html#cond-update: the update by id the criteria name. */
  private conditionalUpdate(request: FhirRequest, type: string) {
    const target = this.writes.conditionalUpdateTarget(request, type);
    return this.writes.update(target, type, target.segments[1] as string);
  }

  /** http.html#transaction and #batch */
  private bundle(request: FhirRequest): FhirResponse {
    if (!isJsonObject(request.body) || request.body.resourceType !== 'Bundle')
      throw badRequest('POST to the base URL takes a Bundle of type batch or transaction');
    return processBundle(this, request, request.body);
  }

  /** $name at system, type or instance level (operations.html). */
  private operation(request: FhirRequest, target: RouteParams): FhirResponse {
    const name = target.operation as string;
    const operation = this.operations.get(name);
    if (!operation) throw notFound(`This server has no operation $${name}`);
    if (!target.type && !operation.system) throw notFound(`$${name} is not a system-level operation`);
    if (target.type && operation.types && !operation.types.includes(target.type))
      throw notFound(`$${name} does not apply to ${target.type}`);
    if (operation.affectsState && request.method !== 'POST')
      throw methodNotAllowed(`$${name} changes data: invoke it with POST`, ['POST']);
    return operation.handle(
      { server: this, request },
      { ...(target.type ? { type: target.type } : {}), ...(target.id ? { id: target.id } : {}) },
    );
  }

  /** http.html#capabilities: what the routes, operations, plug-ins and search parameters make. */
  private capabilities(request: FhirRequest): FhirResponse {
    const statement = capabilityStatement({
      base: request.base,
      softwareVersion: this.parts.softwareVersion,
      resourceTypes: this.parts.definitions.resourceTypes(),
      resource: (type) => this.resourceCapability(type),
      systemInteractions: this.systemInteractions(),
      searchParameters: (type) => this.parts.search.parameters(type),
      profiles: this.parts.igProfiles,
      operations: [...this.operations.values()].map((op) => ({
        name: op.name,
        definition: op.definition,
        ...(op.types ? { types: op.types } : {}),
        ...(op.system ? { system: true } : {}),
      })),
      instantiates: this.parts.instantiates,
      authentication: this.parts.authentication,
      formats: ['application/fhir+json', 'application/fhir+xml', 'json', 'xml'],
    });
    return { status: 200, body: statement as unknown as Record<string, unknown>, headers: {} };
  }

  private resourceCapability(type: string): ResourceCapability {
    const routes = this.routes.routes.filter(
      (route) => route.path.startsWith(':type') && this.allows(type, route),
    );
    const codes = new Set(routes.flatMap((route) => route.interactions));
    const conditional = (code: TypeInteraction) =>
      routes.some((route) => route.conditional && route.interactions.includes(code));
    const documentation = this.plugins.get(type)?.documentation;
    return {
      interactions: TYPE_INTERACTIONS.filter((code) => codes.has(code)),
      // The create route honours If-None-Exist (http.html#ccreate).
      conditionalCreate: codes.has('create'),
      conditionalUpdate: conditional('update'),
      conditionalDelete: conditional('delete'),
      ...(documentation ? { documentation } : {}),
    };
  }

  private systemInteractions(): SystemInteraction[] {
    const codes = this.routes.routes
      .filter((route) => !route.path.startsWith(':type'))
      .flatMap((route) => route.interactions);
    return [...new Set(codes)] as SystemInteraction[];
  }
}
