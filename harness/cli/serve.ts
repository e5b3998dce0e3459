/**
 * `openimis-fhir serve [--port N] [--host 127.0.0.1] [--base /fhir] [--db FILE] [--seed] [--auth]
 *  [--users FILE] [--validation strict|lenient|off] [--claim-review sync|async[:MS]]
 *  [--claim-feedback none|all|N%|value:AMOUNT]
 *  [--subscriptions r4|openimis|off] [--ig DIR|TGZ]... [--load FILE|DIR]... [--workers N]
 *  [--check-threads N]
 *  [--password-file FILE] [--token-secret-file FILE] [--limit NAME=N]... [--max-memory MB]
 *  [--access-log FILE|-]`
 */
import { loadResources, type LoadReport } from '../load/index.js';
import { chmod, open, writeFile } from 'node:fs/promises';
import { generatedPassword, loadSecrets, loadUsers, type AuthOptions } from '../server/auth.js';
import { LIMIT_FLAGS, parseLimits } from '../server/limits.js';
import { stderrLog, streamLog, type ServerLog } from '../server/log.js';
import { parseFeedbackSelection, type ClaimReviewOptions } from '../server/openimis/index.js';
import { startServer, type ServerOptions } from '../server/server.js';
import type { ValidationMode } from '../server/write-validation.js';
import { EXIT, exitCodesText, type ExitCode } from './exit-codes.js';
import { ensureFreshIg } from './fresh-ig.js';
import { tryParseArgs, usageOrHelp } from './support.js';

const HELP = `Usage: openimis-fhir serve [options]

Starts the reference FHIR R4 server for the openIMIS IG.

Options:
  --port N                     port to listen on (default 8080; 0 picks a free one)
  --host HOST                  address to bind (default 127.0.0.1: only this machine)
  --base PATH                  where the FHIR base is mounted (default /fhir)
  --db FILE                    keep the data in a journal file (durable); in memory without it
  --seed                       load the IG's example instances at start (a price list, the Doe
                               family, products RX01 and RX02), and a policy for the family in force
                               today
  --auth                       require the openIMIS login (POST {base}/login) and a Bearer token
  --users FILE                 the users for --auth: a JSON array of {username, password}
                               (default: one user admin with a random password, printed once at
                               start)
  --password-file FILE         with --auth and no --users: also write the generated password to FILE
                               (readable by its owner only)
  --token-secret-file FILE     the keys tokens are signed with, one per line: the first signs, all
                               verify (rotate by putting the new key first); read again on SIGHUP.
                               Default: a random key per start
  --limit NAME=N               change a request limit (repeatable): ${Object.values(LIMIT_FLAGS).join(', ')};
                               see docs/security.md for each one's default
  --max-memory MB              refuse writes (503) above this much memory in use (default: 85% of
                               the heap limit)
  --access-log FILE|-          one JSON line per request (time, method, path, status, ms, bytes,
                               client; never a header, token or body), appended to FILE or on stdout
  --validation MODE            strict (default): writes must conform to base R4 and to their profiles
                               (or the IG profile of their type); lenient: profile issues are only
                               warnings; off: no validation on write
  --claim-review MODE          sync (default): a claim is adjudicated when submitted; async[:MS]: it is
                               entered (outcome queued) and adjudicated MS milliseconds later (default
                               2000) or on POST ClaimResponse/{id}/$review
  --claim-feedback WHICH       the claims selected for feedback, each getting a CommunicationRequest
                               that a Communication answers: none (default), all, N% (a share at
                               random) or value:AMOUNT (claims of at least AMOUNT)
  --subscriptions MODE         r4 (default): rest-hook notifications as FHIR R4 defines them; openimis:
                               as the openIMIS backend sends them (the bare resource POSTed, Django
                               lookups in the criteria, status active or off, end required); off: none
  --ig DIR|TGZ                 IG packages to serve (repeatable; default: fsh-generated/resources,
                               built first when input/ changed since its last build)
  --no-build                   refuse to start on a stale fsh-generated/ instead of building it
  --load FILE|DIR              load resources at start (repeatable): NDJSON files, JSON
                               documents (a transaction or batch Bundle is processed), folders of
                               them; each checked as a write at the --validation level, refused ones
                               listed with file, line and reason while the rest load
  --workers N                  validation threads for --load (default: one per core)
  --check-threads N            threads that parse and validate write bodies beside the one answering
                               clients: bodies from 256 KiB always, from 4 KiB while one is free
                               (default 1; each holds its own copy of the IG's definitions)
  -h, --help                   show this help

${exitCodesText('serve', 'plain')}`;

const MODES: readonly ValidationMode[] = ['strict', 'lenient', 'off'];

export async function runServeCommand(args: string[]): Promise<ExitCode> {
  const parsed = tryParseArgs({
    args,
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      base: { type: 'string', default: '/fhir' },
      db: { type: 'string' },
      seed: { type: 'boolean', default: false },
      auth: { type: 'boolean', default: false },
      users: { type: 'string' },
      validation: { type: 'string', default: 'strict' },
      'claim-review': { type: 'string', default: 'sync' },
      'claim-feedback': { type: 'string', default: 'none' },
      subscriptions: { type: 'string', default: 'r4' },
      ig: { type: 'string', multiple: true },
      load: { type: 'string', multiple: true },
      workers: { type: 'string' },
      'check-threads': { type: 'string', default: '1' },
      'password-file': { type: 'string' },
      'token-secret-file': { type: 'string' },
      limit: { type: 'string', multiple: true },
      'max-memory': { type: 'string' },
      'access-log': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!parsed.ok || parsed.parsed.values.help) return usageOrHelp('serve', HELP, parsed);
  const { values } = parsed.parsed;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return usage(`--port must be a port number, not '${values.port}'`);
  if (!MODES.includes(values.validation as ValidationMode))
    return usage(`--validation must be strict, lenient or off`);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64))
    return usage(`--workers must be a number from 1 to 64, not '${values.workers}'`);
  if (workers !== undefined && !values.load?.length) return usage('--workers goes with --load');
  const checkThreads = Number(values['check-threads']);
  if (!Number.isInteger(checkThreads) || checkThreads < 1 || checkThreads > 64)
    return usage(`--check-threads must be a number from 1 to 64, not '${values['check-threads']}'`);
  const claimReview = parseClaimReview(values['claim-review']);
  if (claimReview instanceof Error) return usage(claimReview.message);
  const claimFeedback = parseFeedbackSelection(values['claim-feedback']);
  if (claimFeedback instanceof Error) return usage(claimFeedback.message);
  const flavour = values.subscriptions;
  if (flavour !== 'r4' && flavour !== 'openimis' && flavour !== 'off')
    return usage(`--subscriptions must be r4, openimis or off, not '${flavour}'`);
  const limits = parseLimits(values.limit ?? []);
  if (limits instanceof Error) return usage(limits.message);
  const maxMemoryMb = values['max-memory'] === undefined ? undefined : Number(values['max-memory']);
  if (maxMemoryMb !== undefined && !(Number.isInteger(maxMemoryMb) && maxMemoryMb >= 16))
    return usage(`--max-memory takes a number of megabytes (16 or more), not '${values['max-memory']}'`);
  const accessLog =
    values['access-log'] === undefined ? undefined : await openAccessLog(values['access-log']);
  if (accessLog instanceof Error) return usage(accessLog.message);
  const authSetup = values.auth ? await authFromFlags(values) : undefined;
  if (authSetup instanceof Error) return usage(authSetup.message);
  if (!values.auth) {
    for (const flag of ['users', 'password-file', 'token-secret-file'] as const)
      if (values[flag] !== undefined) return usage(`--${flag} goes with --auth`);
  }
  const auth = authSetup?.auth;

  if (!values.ig?.length) {
    const stale = await ensureFreshIg({ noBuild: values['no-build'], say: (line) => console.error(line) });
    if (stale) return usage(stale.message);
  }
  const options: ServerOptions = {
    port,
    host: values.host,
    base: values.base,
    seed: values.seed,
    validation: values.validation as ValidationMode,
    claimReview,
    claimFeedback,
    checkThreads,
    subscriptions: flavour === 'off' ? false : { flavour },
    ...(values.db ? { db: values.db } : {}),
    ...(auth ? { auth } : {}),
    limits,
    ...(maxMemoryMb !== undefined ? { maxMemoryBytes: maxMemoryMb * 1024 * 1024 } : {}),
    log: stderrLog,
    ...(accessLog ? { accessLog } : {}),
    warmBodyChecks: true,
    ...(values.ig?.length ? { igs: values.ig } : {}),
  };
  let server;
  try {
    server = await startServer(options);
  } catch (error) {
    return usage(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const running = server;
  if (values.load?.length) {
    let loaded: LoadReport | Error;
    try {
      loaded = await loadResources(running.fhir, {
        inputs: values.load,
        igs: running.igs,
        ...(workers !== undefined ? { workers } : {}),
        onProgress: (progress) => showProgress(progress.read, progress.bytes, progress.totalBytes),
      });
    } catch (error) {
      // A validation thread that ran out of memory, a disk that failed under the journal: the load
      // cannot finish, and a server half loaded is not what was asked for.
      await running.close();
      console.error(
        `openimis-fhir serve: --load stopped: ${error instanceof Error ? error.message : String(error)}`,
      );
      return EXIT.incomplete;
    }
    if (loaded instanceof Error) {
      await running.close();
      return usage(loaded.message);
    }
    console.error(loadSummary(loaded));
  }
  console.log(
    `openimis-fhir reference server listening at ${server.url}${auth ? ' (login at POST ' + server.url + '/login)' : ''}`,
  );
  // Said once, here, and nowhere else (a file only when asked): whoever started the server logs in.
  if (authSetup?.generated)
    console.log(
      `user: admin  password: ${authSetup.generated}` +
        (values['password-file'] ? ` (also in ${values['password-file']})` : ''),
    );
  const secretFile = values['token-secret-file'];
  const reloadSecrets = () => {
    const secrets = secretFile ? loadSecrets(secretFile) : undefined;
    if (secrets instanceof Error) stderrLog({ event: 'token-secrets-not-reloaded', reason: secrets.message });
    else if (secrets) {
      running.authenticator?.setSecrets(secrets);
      stderrLog({ event: 'token-secrets-reloaded', count: secrets.length });
    }
  };
  if (secretFile) process.on('SIGHUP', reloadSecrets);
  await new Promise<void>((resolve) => {
    const stop = () => {
      void running.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (secretFile) process.off('SIGHUP', reloadSecrets);
  return EXIT.ok;
}

/**
 * The users and keys --auth runs with: the users file, or one user admin with a password made now
 * (written to --password-file, readable by its owner only, when asked); the keys from
 * --token-secret-file.
 */
async function authFromFlags(values: {
  users?: string | undefined;
  'password-file'?: string | undefined;
  'token-secret-file'?: string | undefined;
}): Promise<{ auth: AuthOptions; generated?: string } | Error> {
  const secretFile = values['token-secret-file'];
  const secrets = secretFile ? loadSecrets(secretFile) : undefined;
  if (secrets instanceof Error) return secrets;
  const withSecrets = (auth: AuthOptions): AuthOptions => (secrets ? { ...auth, secret: secrets } : auth);
  if (values.users) {
    if (values['password-file'])
      return new Error('--password-file goes with a generated password, not --users');
    const users = loadUsers(values.users);
    return users instanceof Error ? users : { auth: withSecrets({ users }) };
  }
  const password = generatedPassword();
  const file = values['password-file'];
  if (file) {
    try {
      await writeFile(file, `${password}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
    } catch (error) {
      return new Error(
        `cannot write the password file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }
  return { auth: withSecrets({ users: [{ username: 'admin', password }] }), generated: password };
}

/** The access log: stdout for '-', else FILE opened for appending (an Error when it cannot be). */
async function openAccessLog(target: string): Promise<ServerLog | Error> {
  if (target === '-') return streamLog(process.stdout);
  try {
    const handle = await open(target, 'a');
    return streamLog(handle.createWriteStream());
  } catch (error) {
    return new Error(
      `cannot open the access log ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

function parseClaimReview(text: string): ClaimReviewOptions | Error {
  if (text === 'sync') return { mode: 'sync' };
  const match = /^async(?::(\d{1,9}))?$/.exec(text);
  if (!match) return new Error(`--claim-review must be sync, async or async:MS, not '${text}'`);
  return { mode: 'async', ...(match[1] !== undefined ? { delayMs: Number(match[1]) } : {}) };
}

/** A progress line on a terminal, rewritten in place; nothing when the output is a file or a pipe. */
function showProgress(read: number, bytes: number, total: number | undefined): void {
  if (!process.stderr.isTTY) return;
  const share = total ? ` (${Math.floor((bytes / total) * 100)}%)` : '';
  process.stderr.write(`\rloading: ${read.toLocaleString('en')} resources read${share}`);
}

/** What a load did, and the first problems with where they are. */
function loadSummary(report: LoadReport): string {
  const seconds = report.milliseconds / 1000;
  const rate = seconds > 0 ? Math.round(report.loaded / seconds) : report.loaded;
  const lines = [
    `${process.stderr.isTTY ? '\r' : ''}loaded ${report.loaded.toLocaleString('en')} resources in ${seconds.toFixed(1)} s ` +
      `(${rate.toLocaleString('en')}/s); ${report.refused.toLocaleString('en')} refused, ` +
      `${report.warned.toLocaleString('en')} with warnings`,
    ...report.problems
      .slice(0, PROBLEMS_SHOWN)
      .map(
        (problem) =>
          `  ${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}: ` +
          `${problem.status === 0 ? '' : `${problem.status} `}${problem.text}`,
      ),
  ];
  if (report.refused > PROBLEMS_SHOWN)
    lines.push(`  ... and ${(report.refused - PROBLEMS_SHOWN).toLocaleString('en')} more`);
  return lines.join('\n');
}

const PROBLEMS_SHOWN = 20;

function usage(message: string): ExitCode {
  console.error(`openimis-fhir serve: ${message}`);
  return EXIT.usage;
}
