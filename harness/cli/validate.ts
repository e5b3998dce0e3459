/**
 * `openimis-fhir validate`: validates files, folders, NDJSON and stdin against FHIR R4 and the IG's
 * profiles, and reports in the formats people and CI read. Inputs stream: a resource is read,
 * validated (on a pool of worker threads for bulk input), reported and forgotten.
 */
import { openSync, closeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { DefinitionRegistry } from '../fhir/definitions.js';
import { igPaths, projectVersion } from '../paths.js';
import {
  BaselineCollector,
  BaselineMatcher,
  baselineRefusal,
  readBaseline,
  writeBaseline,
  type BaselineEntry,
} from '../validate/baseline.js';
import {
  createFormatter,
  isOutputFormat,
  OUTPUT_FORMATS,
  type OutputFormat,
} from '../validate/formats/index.js';
import {
  isFailure,
  readInputUnits,
  resolveInputs,
  totalBytes,
  type InputSource,
} from '../validate/inputs.js';
import { PART_WORKER_YOUNG_GENERATION_MB, SPLIT_MIN_BYTES } from '../validate/bundle-split.js';
import { BufferedSink, fileSink, wantsColour, type Sink } from '../validate/output.js';
import { createProgress, type ProgressStream } from '../validate/progress.js';
import { FAIL_ON_VALUES, fails, type FailOn } from '../validate/results.js';
import { parseShard, WHOLE, type Shard } from '../validate/shard.js';
import { formatSummary, SummaryCounter, UNKNOWN_TYPE } from '../validate/summary.js';
import { ChunkBuffers } from '../validate/ndjson-chunks.js';
import { PoolFailure, validateItems } from '../validate/workers.js';
import type { Validator } from '../validator/index.js';
import { splitLargeBundles, unitResults } from '../validate/bundle-units.js';
import { NARROWING_OPTIONS, readNarrowing, ReportNarrowing, type Narrowing } from '../validate/filters.js';
import { EXIT, exitCodesText, type ExitCode } from './exit-codes.js';
import { ensureFreshIg } from './fresh-ig.js';
import { tryParseArgs } from './support.js';

const HELP = `Usage: openimis-fhir validate <files | folders | .ndjson | -> [options]

Validates FHIR R4 resources (JSON or XML) against the core specification, the openIMIS IG's profiles
and any profile a resource names in meta.profile. Folders are searched recursively for .json, .xml and
.ndjson files (names starting with a dot are skipped); a .ndjson file holds one resource per line; an
XML document's issues are placed at its XML lines and columns; - reads stdin (one
document, or NDJSON when its first line is a whole JSON object and more lines follow). Files are taken in
order of their path, NDJSON resources in line order; large inputs stream with bounded memory.

Definitions:
  --ig DIR|TGZ             also load this IG (a folder of resources, a package folder or a .tgz);
                           repeatable. FHIR R4 core is always loaded, and so is this project's IG
                           (fsh-generated/resources, built by 'openimis-fhir build') unless
                           --no-project-ig: --ig adds to it.
  --no-project-ig          do not load this project's IG
  --no-build               refuse to run on a stale project IG (default: build it first when input/
                           or sushi-config.yaml changed since its last build)
  --profile URL            also validate every resource against this profile (repeatable)

Output:
  --format F               text (default), json, outcome (an OperationOutcome, or a Bundle of them),
                           junit, sarif (2.1.0) or github (workflow annotations)
  --out FILE               write the report to FILE instead of stdout
  --fail-on error|warning  the lowest severity that fails the run (default error)
  --min-severity S         report only issues at or above S: fatal, error, warning or information
                           (default); the summary still counts every issue
  --max-issues N           report at most N issues, worst first within a resource; the summary still
                           counts every issue
  --suppress ID[:GLOB]     report issues with this message id (only in files matching GLOB: * within a
                           folder, ** across) as suppressed: they no longer fail the run (repeatable)
  --suppress-file FILE     suppressions, one ID[:GLOB] per line, each with its reason after ' # '

Large sets and CI:
  --shard I/N              validate only the I-th of N parts: files by position in path order, NDJSON
                           lines by line number, modulo N
  --workers N              threads to validate on: 1 is the main thread, more a pool of worker
                           threads (default: the number of cores; 1 for inputs under 4 MB)
  --baseline FILE          known issues (keyed by file, message id and expression, each with a reason):
                           reported as suppressed, they do not fail the run
  --write-baseline FILE    write the current issues at or above --fail-on as a baseline (reasons from
                           --baseline kept, new ones "TODO: justify"); refused when it would accept
                           new errors, unless --include-errors
  -h, --help               show this help

A summary follows the report: on stdout for text, on stderr for the other formats. A progress line is
drawn on stderr when it is a terminal and the run takes more than 2 s.

${exitCodesText('validate', 'plain')}`;

/** What the command reads and writes; the tests pass their own. */
export interface ValidateIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  stdin: Readable;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Below this much input, threads cost more than they bring. */
const SMALL_INPUT_BYTES = 4 * 1024 * 1024;

interface Settings {
  inputs: string[];
  /** This project's IG is loaded (and so must be fresh). */
  projectIg: boolean;
  noBuild: boolean;
  igs: string[];
  profiles: string[];
  format: OutputFormat;
  failOn: FailOn;
  out?: string;
  shard: Shard;
  workers?: number;
  baseline?: string;
  writeBaseline?: string;
  includeErrors: boolean;
  narrowing: Narrowing;
}

async function parseSettings(args: string[], cwd: string): Promise<Settings | { help: true } | Error> {
  const parsed = tryParseArgs({
    args,
    options: {
      ig: { type: 'string', multiple: true },
      'no-project-ig': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      profile: { type: 'string', multiple: true },
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      out: { type: 'string' },
      shard: { type: 'string' },
      workers: { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      'include-errors': { type: 'boolean', default: false },
      ...NARROWING_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (!parsed.ok) return new Error(parsed.error);
  const { values, positionals } = parsed.parsed;
  if (values.help) return { help: true };
  if (!isOutputFormat(values.format))
    return new Error(`unknown format '${values.format}'; choose from ${OUTPUT_FORMATS.join(', ')}`);
  const failOn = values['fail-on'];
  if (!(FAIL_ON_VALUES as readonly string[]).includes(failOn))
    return new Error(`--fail-on must be error or warning, not '${failOn}'`);
  const shard = values.shard === undefined ? WHOLE : parseShard(values.shard);
  if (shard instanceof Error) return shard;
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 256)
      return new Error('--workers must be a whole number from 1 to 256');
  }
  const narrowing = await readNarrowing(values, cwd);
  if (narrowing instanceof Error) return narrowing;
  if (positionals.length === 0)
    return new Error('name the files, folders or NDJSON files to validate (- for stdin)');
  const projectIg = igPaths().generatedResources;
  return {
    projectIg: !values['no-project-ig'],
    noBuild: values['no-build'],
    inputs: positionals,
    igs: [
      ...(values['no-project-ig'] ? [] : [projectIg]),
      ...(values.ig ?? []).map((ig) => resolve(cwd, ig)),
    ],
    profiles: values.profile ?? [],
    includeErrors: values['include-errors'],
    narrowing,
    format: values.format,
    failOn: failOn as FailOn,
    shard,
    ...(values.out !== undefined ? { out: resolve(cwd, values.out) } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(values.baseline !== undefined ? { baseline: resolve(cwd, values.baseline) } : {}),
    ...(values['write-baseline'] !== undefined
      ? { writeBaseline: resolve(cwd, values['write-baseline']) }
      : {}),
  };
}

/**
 * The main thread's validator, made once when first asked for, from `definitions` or else loaded
 * anew. Its module (and FHIRPath) is loaded only then: a pooled run's main thread never needs it.
 */
function mainValidator(settings: Settings, definitions?: DefinitionRegistry): () => Promise<Validator> {
  let made: Promise<Validator> | undefined;
  return () =>
    (made ??= import('../validator/index.js').then(({ Validator }) => {
      const loaded = definitions ?? loadDefinitions(settings);
      if (loaded instanceof Error) throw loaded;
      return new Validator(loaded);
    }));
}

/**
 * Loads the definitions once to check the IGs and profiles asked for. One thread keeps them for its
 * validator; with a pool they are dropped here (each worker loads its own).
 */
function checkedValidator(settings: Settings, workers: number): (() => Promise<Validator>) | Error {
  const definitions = loadDefinitions(settings);
  if (definitions instanceof Error) return definitions;
  return mainValidator(settings, workers <= 1 ? definitions : undefined);
}

/** The definitions: core, the project's IG and the --ig ones; a profile asked for must be among them. */
function loadDefinitions(settings: Settings): DefinitionRegistry | Error {
  const definitions = DefinitionRegistry.withCore();
  for (const ig of settings.igs) {
    try {
      definitions.addPackage(ig);
    } catch (error) {
      return new Error(`cannot load the IG ${ig}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const unknown = settings.profiles.find((url) => definitions.structureDefinition(url) === undefined);
  if (unknown !== undefined)
    return new Error(`--profile ${unknown}: no such StructureDefinition in the loaded IGs`);
  return definitions;
}

/** Threads to validate on: one is the main thread itself, more are a pool of worker threads. */
function workerCount(settings: Settings, sources: InputSource[]): number {
  if (settings.workers !== undefined) return settings.workers;
  const bytes = totalBytes(sources);
  if (bytes !== undefined && bytes < SMALL_INPUT_BYTES) return 1;
  return Math.max(1, availableParallelism());
}

export async function runValidateCommand(args: string[], io: Partial<ValidateIo> = {}): Promise<ExitCode> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  const usage = (message: string) => {
    stderr.write(
      `openimis-fhir validate: ${message}\n\nRun 'openimis-fhir validate --help' for the options.\n`,
    );
    return EXIT.usage;
  };
  const settings = await parseSettings(args, cwd);
  if (settings instanceof Error) return usage(settings.message);
  if ('help' in settings) {
    stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  if (settings.projectIg) {
    const stale = await ensureFreshIg({
      noBuild: settings.noBuild,
      say: (line) => stderr.write(`${line}\n`),
    });
    if (stale) return usage(stale.message);
  }
  const sources = await resolveInputs(settings.inputs, cwd);
  if (sources instanceof Error) return usage(sources.message);
  if (sources.length === 0) return usage('no .json, .xml or .ndjson files found in the inputs');
  let baseline: BaselineEntry[] = [];
  if (settings.baseline) {
    const read = await readBaseline(settings.baseline);
    if (read instanceof Error) return usage(read.message);
    baseline = read;
  }
  const workers = workerCount(settings, sources);
  const validator = checkedValidator(settings, workers);
  if (validator instanceof Error) return usage(validator.message);

  let outFd: number | undefined;
  if (settings.out) {
    try {
      outFd = openSync(settings.out, 'w');
    } catch (error) {
      return usage(`cannot write ${settings.out}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const toTerminal = outFd === undefined && stdout.isTTY === true;
  // Where stdout queues writes (a pipe on some systems), a slow reader must slow the run, not fill memory.
  let stdoutFull = false;
  const progress = createProgress(stderr, totalBytes(sources));
  // On a terminal, output is written at once (and the progress line cleared first); otherwise in chunks.
  const sink: Sink & { flush?(): void } =
    outFd !== undefined
      ? fileSink(outFd)
      : toTerminal
        ? { write: (text) => (progress.clear(), stdout.write(text)) }
        : new BufferedSink((text) => {
            if (!stdout.write(text)) stdoutFull = true;
          });
  const formatter = createFormatter(settings.format, sink, {
    failOn: settings.failOn,
    colour:
      settings.format === 'text' && (outFd === undefined ? wantsColour(stdout, env) : wantsColour({}, env)),
    cwd,
    tool: { name: 'openimis-fhir', version: projectVersion() },
  });
  const counter = new SummaryCounter();
  const narrowing = new ReportNarrowing(settings.narrowing);
  const matcher = new BaselineMatcher(baseline);
  const collector = settings.writeBaseline ? new BaselineCollector(settings.failOn) : undefined;
  let failed = false;
  let unreadable = false;
  let bytes = 0;
  try {
    const buffers = new ChunkBuffers();
    const items = splitLargeBundles(
      readInputUnits(sources, settings.shard, io.stdin ?? process.stdin, buffers, SPLIT_MIN_BYTES),
      settings.profiles,
    );
    for await (const unit of validateItems(items, {
      workers,
      validator,
      buffers,
      setup: { igs: settings.igs, profiles: settings.profiles, shard: settings.shard },
      ...(sources.some((source) => source.kind === 'document' && source.size >= SPLIT_MIN_BYTES)
        ? { youngGenerationMb: PART_WORKER_YOUNG_GENERATION_MB }
        : {}),
    })) {
      if (isFailure(unit)) {
        progress.clear();
        stderr.write(`openimis-fhir validate: cannot read ${unit.file}: ${unit.error}\n`);
        counter.addUnreadable();
        unreadable = true;
        continue;
      }
      // A part of a large Bundle comes back as its entries (and, after the last part, the Bundle).
      for (const item of unitResults(unit)) {
        const { bytes: unitBytes, bundle: _part, ...validated } = item;
        bytes += unitBytes;
        const { counted: result, shown } = narrowing.apply(matcher.apply(validated));
        counter.add(result);
        collector?.add(result);
        formatter.add(shown);
        if (!failed && fails(result, settings.failOn)) failed = true;
      }
      progress.update(counter.resourceCount, bytes);
      if (stdoutFull) {
        stdoutFull = false;
        // Checked in the same tick as the wait begins: 'drain' cannot slip in between.
        if (stdout.writableNeedDrain && stdout.once)
          await new Promise<void>((resolve) => stdout.once?.('drain', resolve));
      }
    }
  } catch (error) {
    if (!(error instanceof PoolFailure)) throw error;
    progress.clear();
    stderr.write(`openimis-fhir validate: the run could not complete: ${error.message}\n`);
    // A stdin that stays open would keep the process alive once the run is over.
    if (sources.some((source) => source.kind === 'stdin')) (io.stdin ?? process.stdin).destroy();
    return EXIT.incomplete;
  } finally {
    progress.finish();
  }
  const summary = counter.result();
  formatter.end(summary);
  sink.flush?.();
  if (outFd !== undefined) closeSync(outFd);

  if (summary.resources === 0 && !unreadable) {
    stderr.write(
      'openimis-fhir validate: the inputs hold no resource (an empty file, or an NDJSON file with no line)\n',
    );
    return EXIT.usage;
  }
  // Only inputs with no resourceType anywhere (a CSV, a JSON that is not FHIR): the wrong files were
  // named. Said after their issues, which show what was found; among FHIR inputs they are issues.
  if (!unreadable && Object.keys(summary.byResourceType).every((type) => type === UNKNOWN_TYPE)) {
    stderr.write(
      'openimis-fhir validate: no input is a FHIR resource (none names a resourceType): check the files named\n',
    );
    return EXIT.usage;
  }
  const notes = [formatSummary(summary), ...narrowing.notes()];
  if (settings.shard.count > 1) notes.push(`shard ${settings.shard.index}/${settings.shard.count}`);
  const unmet = matcher.unmet().length;
  if (unmet > 0)
    notes.push(`${unmet} baseline entr${unmet === 1 ? 'y' : 'ies'} matched no issue (fixed? remove them)`);
  if (collector && settings.writeBaseline) {
    const refusal = baselineRefusal(collector, settings.includeErrors);
    if (refusal) {
      stderr.write(`openimis-fhir validate: ${refusal}\n`);
      return EXIT.usage;
    }
    const entries = collector.result();
    await writeBaseline(settings.writeBaseline, entries);
    notes.push(`baseline written to ${settings.writeBaseline} (${entries.length} entries)`);
  }
  if (settings.out) notes.push(`report written to ${settings.out}`);
  const summaryStream = settings.format === 'text' && outFd === undefined ? stdout : stderr;
  summaryStream.write(`${notes.join('\n')}\n`);
  if (unreadable) return EXIT.usage;
  return failed ? EXIT.problems : EXIT.ok;
}
