/**
 * `runScenarios(scenarios, options)`: reads the target's CapabilityStatement, runs the selected
 * scenarios (setup, steps, teardown), deletes what they created, and answers a RunResult. It never
 * throws: an unreachable target or a bad option is the result's infrastructureError.
 */
import { performance } from 'node:perf_hooks';
import { igPaths } from '../paths.js';
import { createValidator, type Validator } from '../validator/index.js';
import { CapabilityPlan, notAFhirBase } from './capabilities.js';
import { scenariosProblems, selectScenarios } from './definition-checks.js';
import type { ExpectationServices } from './expectations.js';
import { HttpClient } from './http-client.js';
import { LoginRefused } from './openimis-login.js';
import { inPool } from './in-pool.js';
import { resolveInputs, type ResolvedInputs } from './inputs.js';
import { worstOutcome } from './outcomes.js';
import { startReceiver, type RunningReceiver } from './receiver.js';
import { igIdentity, newRunId, toolIdentity } from './run-identity.js';
import { CheckFailed, SkipSignal, TransportError, messageOf } from './signals.js';
import { createStepContext, type ScenarioScope, type StepRecord } from './step-context.js';
import { ResourceTracker } from './tracker.js';
import type {
  CapabilityMode,
  Outcome,
  HelperServer,
  Receiver,
  RunEvent,
  RunOptions,
  RunResult,
  ScenarioDefinition,
  ScenarioResult,
  StepDefinition,
  StepResult,
  TargetOptions,
} from './types.js';

/** What every scenario of a run shares. */
interface RunScope {
  client: HttpClient;
  plan: CapabilityPlan;
  tracker: ResourceTracker;
  services: ExpectationServices;
  receivers: Promise<RunningReceiver>[];
  /** Started for steps, closed at the end of the run. */
  helpers: Promise<HelperServer>[];
  startHelper?: () => Promise<HelperServer>;
  target: TargetOptions;
  unique(prefix?: string): string;
  capabilities: CapabilityMode;
  inputs: ResolvedInputs;
  emit(event: RunEvent): void;
}

export async function runScenarios(scenarios: ScenarioDefinition[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const runId = options.runId ?? newRunId();
  const result: RunResult = {
    target: options.target.baseUrl.replace(/\/+$/, ''),
    bundledServer: options.bundledServer ?? false,
    runId,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    tool: toolIdentity(),
    ig: igIdentity(),
    capabilityMode: options.capabilities ?? (options.strictCapabilities ? 'strict' : 'declared'),
    inputs: [],
    scenarios: [],
    cleanup: { kept: options.keep ?? false, deleted: [], failed: [], remaining: [], undeletable: [] },
  };
  const emit = (event: RunEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A reporter's fault does not stop the run.
    }
  };
  const finish = () => {
    result.durationMs = Math.round(performance.now() - started);
    emit({ kind: 'run-finished', result });
    return result;
  };

  /** Ends the run on a failure of its own, saying whose it is. */
  const stop = (kind: 'configuration' | 'infrastructure', message: string) => {
    result.infrastructureError = message;
    result.runErrorKind = kind;
    return finish();
  };

  const problems = scenariosProblems(scenarios, (index) => `scenario ${index + 1}`);
  if (problems.length > 0)
    return stop('configuration', `the scenarios are not well formed: ${problems.join('; ')}`);
  const selected = selectScenarios(scenarios, options.select);
  if (selected instanceof Error) return stop('configuration', selected.message);
  const inputs = resolveInputs(selected, options.inputs);
  if (inputs instanceof Error) return stop('configuration', inputs.message);
  result.inputs = inputs.uses;
  const client = HttpClient.create(options.target);
  if (client instanceof Error) return stop('configuration', client.message);
  result.target = client.base;
  const receivers: Promise<RunningReceiver>[] = [];
  const helpers: Promise<HelperServer>[] = [];
  try {
    emit({
      kind: 'run-started',
      runId,
      target: client.base,
      scenarios: selected.map(({ id, title }) => ({ id, title })),
    });
    const metadata = await client.send('GET', 'metadata', {}, { withoutLogin: true });
    if (!metadata.ok) {
      result.capabilities = { exchange: metadata.exchange };
      return stop('infrastructure', `the target is unreachable: ${metadata.message}`);
    }
    const loggedIn = await client.login();
    if (loggedIn instanceof Error)
      return stop(
        loggedIn instanceof LoginRefused ? 'configuration' : 'infrastructure',
        `cannot log in to the target: ${loggedIn.message}`,
      );
    let reply = metadata.reply;
    // A deployment that keeps /metadata behind its login: asked again, logged in.
    if ((reply.status === 401 || reply.status === 403) && client.hasLogin) {
      const again = await client.send('GET', 'metadata');
      if (!again.ok) return stop('infrastructure', `the target is unreachable: ${again.message}`);
      reply = again.reply;
    }
    const notFhir = notAFhirBase(reply, result.capabilityMode);
    if (notFhir) {
      result.capabilities = { exchange: reply.exchange };
      return stop(notFhir.kind, notFhir.message);
    }
    const plan = CapabilityPlan.fromMetadata(reply);
    result.capabilities = { exchange: reply.exchange, ...(plan.note ? { note: plan.note } : {}) };
    const software = plan.statement?.software;
    if (software?.name)
      result.software = software.version ? `${software.name} ${software.version}` : software.name;

    let counter = 0;
    const scope: RunScope = {
      client,
      plan,
      tracker: new ResourceTracker(client.base),
      services: expectationServices(client.base, options.igs),
      receivers,
      helpers,
      ...(options.helperServer ? { startHelper: options.helperServer } : {}),
      target: options.target,
      unique: (prefix = 'oi') => `${prefix}-${runId}-${++counter}`,
      capabilities: result.capabilityMode,
      inputs,
      emit,
    };
    result.scenarios = await inPool(selected, Math.max(1, Math.floor(options.parallel ?? 1)), (scenario) =>
      runScenario(scenario, scope),
    );
    // Under --capabilities ignore, every deletion is asked for, as every step is run.
    const deletable = (type: string) =>
      result.capabilityMode === 'ignore' || !plan.declaresWithout(type, 'delete');
    result.cleanup = await scope.tracker.cleanup(client, options.keep ?? false, deletable);
  } catch (error) {
    // Only a fault of the engine itself lands here; it is reported, not thrown.
    result.infrastructureError = `internal error of the runner: ${messageOf(error)}`;
    result.runErrorKind = 'infrastructure';
  } finally {
    await Promise.all(
      receivers.map((pending) =>
        pending.then(
          (receiver) => receiver.close(),
          () => undefined,
        ),
      ),
    );
    await Promise.all(
      helpers.map((pending) =>
        pending.then(
          (helper) => helper.close().catch(() => undefined),
          () => undefined,
        ),
      ),
    );
    await client.close();
  }
  return finish();
}

function expectationServices(base: string, igs: string[] | undefined): ExpectationServices {
  let validator: Validator | undefined;
  return {
    validator: () => (validator ??= createValidator({ igs: igs ?? [igPaths().generatedResources] })),
    shortUrl: (url) =>
      url === base ? '[base]' : url.startsWith(`${base}/`) ? url.slice(base.length + 1) : url,
  };
}

async function runScenario(definition: ScenarioDefinition, run: RunScope): Promise<ScenarioResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  run.emit({ kind: 'scenario-started', scenario: { id: definition.id, title: definition.title } });
  let receiver: Promise<RunningReceiver> | undefined;
  const scope: ScenarioScope = {
    client: run.client,
    plan: run.plan,
    values: new Map(),
    unique: run.unique,
    tracker: run.tracker,
    services: run.services,
    inputs: run.inputs.byScenario.get(definition.id) ?? new Map(),
    declaredInputs: run.inputs.declared.get(definition.id) ?? new Map(),
    capabilityMode: run.capabilities,
    receiver: (): Promise<Receiver> => {
      if (!receiver) {
        receiver = startReceiver();
        run.receivers.push(receiver);
      }
      return receiver;
    },
    target: run.target,
    helperServer: async () => {
      if (!run.startHelper) return undefined;
      const started = run.startHelper();
      run.helpers.push(started);
      return started;
    },
  };
  const messages: string[] = [];
  const steps: StepResult[] = [];
  const record = (result: StepResult) => {
    steps.push(result);
    run.emit({ kind: 'step-finished', scenarioId: definition.id, step: result });
  };

  const missing = run.plan.missing(definition.needs);
  if (missing.length > 0 && run.capabilities !== 'ignore') {
    // Nothing runs, not even setup: the scenario cannot apply to this target.
    const reason = run.plan.explain(missing);
    const strict = run.capabilities === 'strict';
    messages.push(strict ? `${reason} (strict capabilities)` : reason);
    const outcome: Outcome = strict ? 'fail' : 'skip';
    for (const [phase, list] of phases(definition))
      for (const step of list) record(notRun(step, phase, outcome, messages[0] ?? reason));
  } else {
    if (missing.length > 0) messages.push(ignoredNote(run.plan.explain(missing)));
    let setupBroken: string | undefined;
    for (const [phase, list] of phases(definition)) {
      for (const step of list) {
        if (setupBroken !== undefined && phase !== 'teardown') {
          record(notRun(step, phase, 'skip', setupBroken));
          continue;
        }
        const result = await runStep(step, phase, scope, run);
        record(result);
        if (phase === 'setup' && result.outcome !== 'pass' && result.outcome !== 'warning') {
          setupBroken = `not run: the setup step ${step.id} ended with ${result.outcome}`;
        }
      }
    }
  }
  const result: ScenarioResult = {
    id: definition.id,
    title: definition.title,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    tags: definition.tags ?? [],
    requirements: definition.requirements ?? [],
    outcome: worstOutcome(steps.map((step) => step.outcome)),
    messages,
    steps,
    startedAt,
    durationMs: Math.round(performance.now() - started),
  };
  if (steps.length === 0) result.messages.push('the scenario has no steps');
  run.emit({ kind: 'scenario-finished', scenario: result });
  return result;
}

type Phase = StepResult['phase'];

const ignoredNote = (reason: string) => `run although ${reason} (--capabilities ignore)`;

function phases(definition: ScenarioDefinition): [Phase, StepDefinition[]][] {
  return [
    ['setup', definition.setup ?? []],
    ['step', definition.steps],
    ['teardown', definition.teardown ?? []],
  ];
}

function stepHeader(
  step: StepDefinition,
  phase: Phase,
): Pick<StepResult, 'id' | 'title' | 'says' | 'level' | 'phase'> {
  return {
    id: step.id,
    title: step.title,
    ...(step.says === undefined ? {} : { says: step.says }),
    level: step.level ?? 'MUST',
    phase,
  };
}

function notRun(step: StepDefinition, phase: Phase, outcome: Outcome, reason: string): StepResult {
  return {
    ...stepHeader(step, phase),
    outcome,
    messages: [reason],
    exchanges: [],
    startedAt: new Date().toISOString(),
    durationMs: 0,
  };
}

async function runStep(
  step: StepDefinition,
  phase: Phase,
  scope: ScenarioScope,
  run: RunScope,
): Promise<StepResult> {
  const missing = run.plan.missing(step.needs);
  if (missing.length > 0 && run.capabilities !== 'ignore') {
    const reason = run.plan.explain(missing);
    const strict = run.capabilities === 'strict';
    return notRun(step, phase, strict ? 'fail' : 'skip', strict ? `${reason} (strict capabilities)` : reason);
  }
  // Under --capabilities ignore the step runs; what the target did not declare is said with its result.
  const note = missing.length > 0 ? ignoredNote(run.plan.explain(missing)) : undefined;
  const level = step.level ?? 'MUST';
  const record: StepRecord = { findings: [], exchanges: [] };
  const startedAt = new Date().toISOString();
  const started = performance.now();
  let thrown: { outcome: Outcome; message: string } | undefined;
  try {
    await step.run(createStepContext(scope, level, record));
  } catch (error) {
    if (error instanceof SkipSignal) thrown = { outcome: 'skip', message: error.reason };
    else if (error instanceof CheckFailed) thrown = { outcome: 'fail', message: error.message };
    else if (error instanceof TransportError) thrown = { outcome: 'error', message: error.message };
    else thrown = { outcome: 'error', message: `the step's code threw: ${messageOf(error)}` };
  }
  const broken = record.findings.filter((finding) => finding.level === 'MUST');
  const warned = record.findings.filter((finding) => finding.level === 'SHOULD');
  const messages = [
    ...broken.map((finding) => finding.message),
    ...warned.map((finding) => `(SHOULD) ${finding.message}`),
  ];
  let outcome: Outcome;
  if (thrown && thrown.outcome !== 'skip') {
    outcome =
      thrown.outcome === 'fail' && broken.length === 0 && level === 'SHOULD' ? 'warning' : thrown.outcome;
    messages.push(thrown.message);
  } else if (thrown) {
    // A skip after broken expectations still reports them: the step did not get to its end, but what it saw counts.
    outcome = broken.length > 0 ? 'fail' : warned.length > 0 ? 'warning' : 'skip';
    messages.push(thrown.message);
  } else {
    outcome = broken.length > 0 ? 'fail' : warned.length > 0 ? 'warning' : 'pass';
  }
  if (note !== undefined) messages.push(note);
  return {
    ...stepHeader(step, phase),
    outcome,
    messages,
    exchanges: record.exchanges,
    startedAt,
    durationMs: Math.round(performance.now() - started),
  };
}
