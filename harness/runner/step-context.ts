/**
 * What a step's `run` gets: requests that are recorded with the step, expectations that collect
 * findings, and the scenario's shared values, tracking, receiver and capability answers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CapabilityPlan } from './capabilities.js';
import { Expectations, type ExpectationServices, type Finding } from './expectations.js';
import type { HttpClient } from './http-client.js';
import { CheckFailed, SkipSignal, TransportError } from './signals.js';
import type { ScenarioInputs } from './inputs.js';
import type { ResourceTracker } from './tracker.js';
import type {
  CapabilityMode,
  EventuallyOptions,
  Exchange,
  HelperServer,
  Key,
  Level,
  Receiver,
  Reply,
  RequestOptions,
  ScenarioInput,
  StepContext,
  TargetOptions,
} from './types.js';

/** A value's name as a step gives it: a `Key` or, in the untyped form, a plain string. */
type NameOrKey = string | { readonly name: string; readonly missing?: string };

const nameOf = (key: NameOrKey) => (typeof key === 'string' ? key : key.name);

/** What the steps of one scenario share. */
export interface ScenarioScope {
  client: HttpClient;
  plan: CapabilityPlan;
  /** Values saved by earlier steps of this scenario only. */
  values: Map<string, unknown>;
  unique(prefix?: string): string;
  tracker: ResourceTracker;
  receiver(): Promise<Receiver>;
  helperServer(): Promise<HelperServer | undefined>;
  target: TargetOptions;
  services: ExpectationServices;
  /** The values of the scenario's declared inputs (given or default). */
  inputs: ScenarioInputs;
  /** The inputs the scenario declares, by name. */
  declaredInputs: ReadonlyMap<string, ScenarioInput>;
  /** Under 'ignore', `supports()` answers yes to everything: steps that adapt run their full path too. */
  capabilityMode: CapabilityMode;
}

/** What one step leaves behind. */
export interface StepRecord {
  findings: Finding[];
  exchanges: Exchange[];
}

export function createStepContext(scope: ScenarioScope, level: Level, record: StepRecord): StepContext {
  const { client, plan } = scope;

  const request = async (method: string, path: string, options?: RequestOptions): Promise<Reply> => {
    const sent = await client.send(method.toUpperCase(), path, options);
    if (!sent.ok) {
      record.exchanges.push(sent.exchange);
      // An answer too large to read is the target's, and fails the step; no answer at all is an error.
      if (sent.tooLarge) throw new CheckFailed(sent.message);
      throw new TransportError(sent.message, sent.exchange);
    }
    record.exchanges.push(sent.reply.exchange);
    return sent.reply;
  };
  const withBody = (method: string) => (path: string, body?: unknown, options?: RequestOptions) =>
    request(method, path, body === undefined ? options : { ...options, body });

  return {
    base: client.base,
    target: scope.target,
    capabilities: plan.statement,
    get: (path, options) => request('GET', path, options),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
    delete: (path, options) => request('DELETE', path, options),
    request,
    expect: (reply) => new Expectations(reply, level, record.findings, scope.services),
    should: (reply) => new Expectations(reply, 'SHOULD', record.findings, scope.services),
    fail: (message) => {
      record.findings.push({ level, message });
    },
    warn: (message) => {
      record.findings.push({ level: 'SHOULD', message });
    },
    skip: (reason) => {
      throw new SkipSignal(reason);
    },
    save: (key: NameOrKey, value: unknown) => {
      scope.values.set(nameOf(key), value);
    },
    load: <T>(key: NameOrKey): T => {
      const name = nameOf(key);
      // An earlier step that failed before saving makes this step impossible, not broken.
      if (!scope.values.has(name)) {
        const missing = typeof key === 'string' ? undefined : key.missing;
        throw new SkipSignal(missing ?? `needs "${name}", which no earlier step saved`);
      }
      return scope.values.get(name) as T;
    },
    recall: <T>(key: Key<T>): T | undefined => scope.values.get(key.name) as T | undefined,
    unique: (prefix) => scope.unique(prefix),
    track: (reference) => {
      const tracked = scope.tracker.track(reference);
      if (tracked instanceof Error) record.findings.push({ level: 'SHOULD', message: tracked.message });
    },
    eventually: (check, options) => eventually(check, options),
    receiver: () => scope.receiver(),
    helperServer: () => scope.helperServer(),
    supports: (needs) => scope.capabilityMode === 'ignore' || plan.supports(needs),
    input: (name) => inputOf(scope, name),
    requireInput: (name) => {
      const value = inputOf(scope, name);
      if (value !== undefined) return value;
      const declared = scope.declaredInputs.get(name) as ScenarioInput;
      throw new SkipSignal(
        `needs the input ${name} (${declared.description}): give --input ${name}=VALUE or put it in --inputs FILE`,
      );
    },
  };
}

function inputOf(scope: ScenarioScope, name: string): string | undefined {
  // An undeclared name is the scenario's mistake: the step errors, saying so.
  if (!scope.declaredInputs.has(name))
    throw new Error(`the scenario asks for the input "${name}", which it does not declare in its inputs`);
  return scope.inputs.get(name);
}

async function eventually<T>(
  check: () => Promise<T | undefined>,
  options: EventuallyOptions = {},
): Promise<T> {
  const deadlineMs = options.deadlineMs ?? 10_000;
  const maxBackoffMs = options.maxBackoffMs ?? 2_000;
  let backoffMs = options.backoffMs ?? 100;
  const deadline = Date.now() + deadlineMs;
  let tries = 0;
  for (;;) {
    tries += 1;
    const value = await check();
    if (value !== undefined) return value;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new CheckFailed(
        `expected the condition to hold within ${deadlineMs} ms, found it did not after ${tries} ${tries === 1 ? 'try' : 'tries'}`,
      );
    }
    await sleep(Math.min(backoffMs, remaining));
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
  }
}
