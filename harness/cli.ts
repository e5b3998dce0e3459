#!/usr/bin/env node
/**
 * The `openimis-fhir` command: dispatches to one module per subcommand. A command's module is loaded
 * only when it runs: `validate` then starts without SUSHI, express or the HTTP client in memory.
 */
import { EXIT, type ExitCode } from './cli/exit-codes.js';
import { stopWithParent } from './processes.js';

interface Command {
  summary: string;
  run(args: string[]): Promise<ExitCode>;
  /** Stops when the process that started it is gone (processes.ts); false for the long-lived ones. */
  oneShot: boolean;
}

const COMMANDS: Record<string, Command> = {
  build: {
    summary: 'compile the IG with SUSHI, offline (skipped when the output is up to date)',
    run: async (args) => (await import('./cli/build.js')).runBuildCommand(args),
    oneShot: true,
  },
  qa: {
    summary: 'build the IG, validate its examples, check coverage; issues at their FSH line',
    run: async (args) => (await import('./cli/qa.js')).runQaCommand(args),
    oneShot: true,
  },
  serve: {
    summary: 'run the reference FHIR server for the IG',
    run: async (args) => (await import('./cli/serve.js')).runServeCommand(args),
    oneShot: false,
  },
  site: {
    summary: 'write a static preview of the IG (profiles, terminology, examples, search), no Java',
    run: async (args) => (await import('./cli/site.js')).runSiteCommand(args),
    oneShot: true,
  },
  sync: {
    summary: "bring a master facility list's changes into a FHIR server, mapped, validated, deduplicated",
    run: async (args) => (await import('./cli/sync.js')).runSyncCommand(args),
    oneShot: false,
  },
  test: {
    summary: 'run the scenarios against a FHIR server (the bundled one by default)',
    run: async (args) => (await import('./cli/test.js')).runTestCommand(args),
    oneShot: true,
  },
  validate: {
    summary: 'validate resources, folders and NDJSON against R4 and the IG',
    run: async (args) => (await import('./cli/validate.js')).runValidateCommand(args),
    oneShot: true,
  },
};

function usage(): string {
  const lines = ['Usage: openimis-fhir <command> [options]', '', 'Commands:'];
  for (const [name, command] of Object.entries(COMMANDS))
    lines.push(`  ${name.padEnd(8)} ${command.summary}`);
  lines.push('', 'Run `openimis-fhir <command> --help` for the options of a command.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return EXIT.ok;
  }
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(name === undefined ? usage() : `openimis-fhir: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  if (command.oneShot) stopWithParent();
  return command.run(rest);
}

// A reader that goes away (`validate big.ndjson | head`) is not a fault: stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.incomplete);
    throw error;
  });

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A fault of the tool itself: one line, no stack trace.
    console.error(`openimis-fhir: internal error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT.incomplete;
  },
);
