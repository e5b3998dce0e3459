/**
 * The scenario DSL's types and the results a run produces. A scenario reads like the workflow it
 * checks: steps that send requests and state what must (MUST) or should (SHOULD) hold. Users write
 * their own scenarios with these types (`openimis-fhir test --scenarios DIR`).
 */

// ------------------------------------------------------------------ writing scenarios

/** What a scenario or step needs the target to declare in its CapabilityStatement. */
export interface Needs {
  /** Resource types the target must support. */
  resources?: string[];
  /** Interactions, as `Type:interaction` (`Patient:create`, `Patient:history-instance`) or system-level
   *  (`transaction`, `batch`, `history-system`, `search-system`). */
  interactions?: string[];
  /** Operations by name (`validate`, `submit`), at any level. */
  operations?: string[];
}

export type Level = 'MUST' | 'SHOULD';

/**
 * A value a scenario takes from the user when it cannot make it on the target (an existing insuree's
 * code, a service code of a live price list), given with `--input name=value` or `--inputs FILE`.
 * Scenarios that declare the same name share the value.
 */
export interface ScenarioInput {
  /** kebab-case: `insuree-code`. */
  name: string;
  /** What to give, in a sentence: the help and a skipped step's message quote it. */
  description: string;
  /** Used when the user gives none. */
  default?: string;
  /** A password or token: reports show `***` instead of the value. */
  secret?: boolean;
}

export interface StepDefinition {
  /** A stable kebab-case id, unique in its scenario. */
  id: string;
  /** What the step checks, in a few words. */
  title: string;
  /** The clause of the standard it checks, quoted or paraphrased, with its source. */
  says?: string;
  /** MUST (default): a broken expectation fails the step. SHOULD: it only warns. */
  level?: Level;
  needs?: Needs;
  run(context: StepContext): Promise<void>;
}

export interface ScenarioDefinition {
  /** A stable kebab-case id (`rest-baseline`), what --scenario selects. */
  id: string;
  /** A behavioural title: "Server handles conditional create". */
  title: string;
  description?: string;
  tags?: string[];
  /** Where the checked clauses come from (URLs), for the reports. */
  requirements?: string[];
  needs?: Needs;
  /** What the user may (or, for steps that `requireInput`, must) give this scenario. */
  inputs?: ScenarioInput[];
  setup?: StepDefinition[];
  steps: StepDefinition[];
  teardown?: StepDefinition[];
}

/** An HTTP exchange as the run keeps it with its step. */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  /** In run.json, a large body seen before is `bodySameAs` (the JSON Pointer of its first occurrence). */
  response?: { status: number; headers: Record<string, string>; body?: string; durationMs: number };
  /** A transport failure (refused, reset, timeout): the step errors. */
  error?: string;
}

/** A response, parsed when it is JSON. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body as JSON, when it is JSON. */
  json?: unknown;
  exchange: Exchange;
}

export interface RequestOptions {
  /** Added to (or replacing) the run's headers; the value '' drops a header (Authorization, Content-Type). */
  headers?: Record<string, string>;
  /** A resource (sent as application/fhir+json) or raw text with its own Content-Type header. */
  body?: unknown;
  /** Override the run's timeout for this request. */
  timeoutMs?: number;
}

/** Fluent expectations on a reply; each failed one is collected, and the step fails (or warns) once at the end. */
export interface ReplyExpectations {
  status(expected: number | number[]): ReplyExpectations;
  /** 2 for 2xx, 4 for 4xx... */
  statusClass(expected: number): ReplyExpectations;
  header(name: string, expected?: string | RegExp): ReplyExpectations;
  resourceType(expected: string): ReplyExpectations;
  /** Valid against a profile (or the base type) by our validator: no error or fatal issue. */
  valid(profile?: string): ReplyExpectations;
  /** A FHIRPath expression on the body: true, or equal to `expected` (compared as JSON). */
  fhirpath(expression: string, expected?: unknown): ReplyExpectations;
  /** An OperationOutcome body (4xx/5xx answers SHOULD carry one). */
  outcome(): ReplyExpectations;
  /** Any predicate, with the message to give when it fails. */
  that(predicate: (reply: Reply) => boolean, message: string): ReplyExpectations;
}

export interface EventuallyOptions {
  /** Milliseconds to keep trying (default 10,000). */
  deadlineMs?: number;
  /** First pause between tries in ms (default 100), doubled each time up to `maxBackoffMs` (default 2,000). */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** A notification the built-in receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: string;
}

export interface Receiver {
  /** The receiver's base URL, on loopback. */
  url: string;
  /** Requests received so far (optionally only those whose path starts with `path`). */
  received(path?: string): ReceivedRequest[];
  /** The status the receiver answers with from now on (default 200). */
  answerWith(status: number): void;
}

/**
 * The name of a value steps pass to each other, with the value's type: declared once with `key()`
 * (`const PATIENT = key<{ id: string }>('patient', 'r2-create did not create a Patient')`), so that
 * `save(PATIENT, value)` and `load(PATIENT)` agree on the type, and a misspelt name cannot compile.
 */
export interface Key<T> {
  readonly name: string;
  /** Why a step that loads the value skips when no earlier step saved it (say which step makes it). */
  readonly missing?: string;
  /** Never set: it only ties the key to its type, both ways (a Key<string> is not a Key<number>). */
  readonly valueType?: (value: T) => T;
}

/** A FHIR server a run starts beside the target (a registry to sync from), closed when the run ends. */
export interface HelperServer {
  /** Its FHIR base URL, on loopback. */
  url: string;
  close(): Promise<void>;
}

/** What a step's `run` gets. */
export interface StepContext {
  /** The target's FHIR base URL, without a trailing slash. */
  base: string;
  /** How the run reaches the target (its auth, headers, TLS), for a step that drives a tool against it. */
  target: TargetOptions;
  /** The target's CapabilityStatement, as read at the start of the run. */
  capabilities: fhir4.CapabilityStatement | undefined;
  get(path: string, options?: RequestOptions): Promise<Reply>;
  post(path: string, body?: unknown, options?: RequestOptions): Promise<Reply>;
  put(path: string, body?: unknown, options?: RequestOptions): Promise<Reply>;
  patch(path: string, body?: unknown, options?: RequestOptions): Promise<Reply>;
  delete(path: string, options?: RequestOptions): Promise<Reply>;
  /** Any method; `path` may be absolute (a `next` link) or relative to the base. */
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>;
  /** Expectations on a reply at the step's level. */
  expect(reply: Reply): ReplyExpectations;
  /** Expectations that only warn, whatever the step's level. */
  should(reply: Reply): ReplyExpectations;
  /** A failed check outside of a reply. */
  fail(message: string): void;
  warn(message: string): void;
  /** Ends the step as skipped, saying why (and what to supply). */
  skip(reason: string): never;
  /**
   * Saves a value for the later steps of the scenario. With a `Key` (see `key()`) the value must be of
   * the key's type; a plain name takes anything.
   */
  save<T>(key: Key<T>, value: T): void;
  save(name: string, value: unknown): void;
  /**
   * A value an earlier step saved. When none did (it failed or was skipped before saving), this step
   * is skipped, saying why: the key's `missing` text, or the name.
   */
  load<T>(key: Key<T>): T;
  load<T = unknown>(name: string): T;
  /** A value an earlier step saved, or undefined when none did: for a step that goes on without it. */
  recall<T>(key: Key<T>): T | undefined;
  /** A value unique to this run (prefix + run id + counter), so parallel runs do not collide. */
  unique(prefix?: string): string;
  /** Registers a created resource (`Type/id` or a Location URL) to delete at the end of the run. */
  track(reference: string): void;
  /** Retries `check` until it returns a value other than undefined, or the deadline passes (then fails). */
  eventually<T>(check: () => Promise<T | undefined>, options?: EventuallyOptions): Promise<T>;
  /** The built-in HTTP receiver for notifications (started on first use). */
  receiver(): Promise<Receiver>;
  /**
   * A new, empty FHIR server beside the target (the bundled one, storing what it is sent as it is), or
   * undefined when the run has none to give (`RunOptions.helperServer`).
   */
  helperServer(): Promise<HelperServer | undefined>;
  /**
   * Whether the target declares what is asked (for steps that adapt instead of skipping); always true
   * when the run ignores capabilities.
   */
  supports(needs: Needs): boolean;
  /**
   * The value of one of the scenario's declared inputs: the user's, else its default, else undefined.
   * Asking for an input the scenario does not declare is an error of the scenario.
   */
  input(name: string): string | undefined;
  /** Like `input`, but with no value the step is skipped, saying which input to give and how. */
  requireInput(name: string): string;
}

// ------------------------------------------------------------------ results

export type Outcome = 'pass' | 'fail' | 'warning' | 'skip' | 'error';

export interface StepResult {
  id: string;
  title: string;
  says?: string;
  level: Level;
  phase: 'setup' | 'step' | 'teardown';
  outcome: Outcome;
  /** Why it failed, warned, was skipped or errored; expected vs found. */
  messages: string[];
  exchanges: Exchange[];
  startedAt: string;
  durationMs: number;
}

export interface ScenarioResult {
  id: string;
  title: string;
  description?: string;
  tags: string[];
  requirements: string[];
  outcome: Outcome;
  /** Why the whole scenario was skipped or errored. */
  messages: string[];
  steps: StepResult[];
  startedAt: string;
  durationMs: number;
}

export interface RunResult {
  /** The target's base URL. */
  target: string;
  /** Whether the target is the bundled reference server. */
  bundledServer: boolean;
  runId: string;
  startedAt: string;
  durationMs: number;
  tool: { name: string; version: string };
  ig: { packageId: string; version: string };
  /** The target's software, from its CapabilityStatement. */
  software?: string;
  scenarios: ScenarioResult[];
  /** A failure of the run itself (target unreachable, bad configuration), said in one line. */
  infrastructureError?: string;
  /**
   * Whose fault `infrastructureError` is: the run's configuration (an option, the scenarios, the
   * credentials, a base URL that is not a FHIR base: fix the command) or the infrastructure (a host
   * that cannot be reached, TLS, a timeout, a failing server: try again). Neither is a conformance
   * failure.
   */
  runErrorKind?: 'configuration' | 'infrastructure';
  /** How needs the target does not declare were treated (see RunOptions.capabilities). */
  capabilityMode: CapabilityMode;
  /** The inputs the run's scenarios declare, with the value used (secrets as `***`) and where it came from. */
  inputs: InputUse[];
  /** The `GET [base]/metadata` the plan was made from, and what the planner made of it. */
  capabilities?: { exchange: Exchange; note?: string };
  /** The deletion of the resources the scenarios tracked; its failures do not fail the run. */
  cleanup: CleanupResult;
}

export interface InputUse {
  name: string;
  /** The value used, `***` for a secret; absent when the input had none (its steps skipped). */
  value?: string;
  source: 'given' | 'default' | 'none';
  /** The scenarios that declare it. */
  scenarios: string[];
}

export interface CleanupResult {
  /** True when `keep` was set: nothing was deleted. */
  kept: boolean;
  /** References deleted (or already gone), in the order they were deleted. */
  deleted: string[];
  /** Deletions that did not succeed, with what the target answered. */
  failed: { reference: string; message: string; exchange?: Exchange }[];
  /** What was tracked but kept (with `keep`). */
  remaining: string[];
  /**
   * What was left in place because the target's CapabilityStatement lists the type without the delete
   * interaction (openIMIS keeps policies and payments, for one): asking would only be refused.
   */
  undeletable: string[];
}

// ------------------------------------------------------------------ running

export type TargetAuth =
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; user: string; password: string }
  /** The openIMIS login: `POST [base]/login/` with `{username, password}` answers `{token, exp}`. */
  | { kind: 'openimis'; user: string; password: string };

export interface TargetOptions {
  /** The FHIR base URL. */
  baseUrl: string;
  auth?: TargetAuth;
  /** Sent with every request (after the defaults, before a request's own headers). */
  headers?: Record<string, string>;
  /** Per request, in milliseconds (default 30,000). */
  timeoutMs?: number;
  /**
   * A response body larger than this is not read to its end: the request fails saying so (default
   * 64 MiB). The client's memory stays bounded whatever a target sends.
   */
  maxResponseBytes?: number;
  /** Accept any TLS certificate (self-signed test servers). */
  insecure?: boolean;
  /** A PEM file of CA certificates to trust besides the system ones. */
  caFile?: string;
}

export interface RunOptions {
  target: TargetOptions;
  select?: { ids?: string[]; tags?: string[] };
  /** Scenarios run at the same time (default 1). */
  parallel?: number;
  /** Keep what the scenarios created instead of deleting it at the end. */
  keep?: boolean;
  /**
   * What a need the target's CapabilityStatement does not declare does to a scenario or step:
   * 'declared' (the default) skips it; 'ignore' runs it anyway, noting the missing declaration in the
   * step; 'strict' fails it.
   */
  capabilities?: CapabilityMode;
  /** The same as `capabilities: 'strict'` (kept for callers of earlier versions). */
  strictCapabilities?: boolean;
  /** Values for the scenarios' declared inputs, by name. A name no selected scenario declares is an error. */
  inputs?: Record<string, string>;
  /** Live progress, for the console reporter. An exception thrown here is ignored. */
  onEvent?: (event: RunEvent) => void;
  /** Default: a fresh short id; it goes into every `unique()` value. */
  runId?: string;
  /** Whether the target is the bundled reference server (reported as is). */
  bundledServer?: boolean;
  /** IG folders for the `valid()` expectation (default: this project's fsh-generated/resources). */
  igs?: string[];
  /** Starts a server a step may use beside the target (`StepContext.helperServer`); the run closes it. */
  helperServer?: () => Promise<HelperServer>;
}

export type CapabilityMode = 'declared' | 'ignore' | 'strict';

export type RunEvent =
  | { kind: 'run-started'; runId: string; target: string; scenarios: { id: string; title: string }[] }
  | { kind: 'scenario-started'; scenario: { id: string; title: string } }
  | { kind: 'step-finished'; scenarioId: string; step: StepResult }
  | { kind: 'scenario-finished'; scenario: ScenarioResult }
  | { kind: 'run-finished'; result: RunResult };
