/**
 * `openimis-fhir serve [--port N] [--host 127.0.0.1] [--base /fhir] [--db FILE] [--seed] [--auth]
 *  [--users FILE] [--validation strict|lenient|off] [--claim-review sync|async[:MS]]
 *  [--subscriptions r4|openimis|off] [--ig DIR|TGZ]...`
 */
import { loadUsers, type AuthOptions } from '../server/auth.js';
import type { ClaimReviewOptions } from '../server/openimis/index.js';
import { startServer, type ServerOptions } from '../server/server.js';
import type { ValidationMode } from '../server/write-validation.js';
import { EXIT, exitCodesText, type ExitCode } from './exit-codes.js';
import { tryParseArgs } from './support.js';

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
                               (default: one user admin / admin)
  --validation MODE            strict (default): writes must conform to base R4 and to their profiles
                               (or the IG profile of their type); lenient: profile issues are only
                               warnings; off: no validation on write
  --claim-review MODE          sync (default): a claim is adjudicated when submitted; async[:MS]: it is
                               entered (outcome queued) and adjudicated MS milliseconds later (default
                               2000) or on POST ClaimResponse/{id}/$review
  --subscriptions MODE         r4 (default): rest-hook notifications as FHIR R4 defines them; openimis:
                               as the openIMIS backend sends them (the bare resource POSTed, Django
                               lookups in the criteria, status active or off, end required); off: none
  --ig DIR|TGZ                 IG packages to serve (repeatable; default: fsh-generated/resources)
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
      subscriptions: { type: 'string', default: 'r4' },
      ig: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!parsed.ok) {
    console.error(`openimis-fhir serve: ${parsed.error}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { values } = parsed.parsed;
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return usage(`--port must be a port number, not '${values.port}'`);
  if (!MODES.includes(values.validation as ValidationMode))
    return usage(`--validation must be strict, lenient or off`);
  const claimReview = parseClaimReview(values['claim-review']);
  if (claimReview instanceof Error) return usage(claimReview.message);
  const flavour = values.subscriptions;
  if (flavour !== 'r4' && flavour !== 'openimis' && flavour !== 'off')
    return usage(`--subscriptions must be r4, openimis or off, not '${flavour}'`);
  let auth: AuthOptions | undefined;
  if (values.auth) {
    const users = values.users ? loadUsers(values.users) : [{ username: 'admin', password: 'admin' }];
    if (users instanceof Error) return usage(users.message);
    auth = { users };
  } else if (values.users) return usage('--users goes with --auth');

  const options: ServerOptions = {
    port,
    host: values.host,
    base: values.base,
    seed: values.seed,
    validation: values.validation as ValidationMode,
    claimReview,
    subscriptions: flavour === 'off' ? false : { flavour },
    ...(values.db ? { db: values.db } : {}),
    ...(auth ? { auth } : {}),
    ...(values.ig?.length ? { igs: values.ig } : {}),
  };
  let server;
  try {
    server = await startServer(options);
  } catch (error) {
    return usage(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  }
  console.log(
    `openimis-fhir reference server listening at ${server.url}${auth ? ' (login at POST ' + server.url + '/login)' : ''}`,
  );
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = () => {
      void running.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}

function parseClaimReview(text: string): ClaimReviewOptions | Error {
  if (text === 'sync') return { mode: 'sync' };
  const match = /^async(?::(\d{1,9}))?$/.exec(text);
  if (!match) return new Error(`--claim-review must be sync, async or async:MS, not '${text}'`);
  return { mode: 'async', ...(match[1] !== undefined ? { delayMs: Number(match[1]) } : {}) };
}

function usage(message: string): ExitCode {
  console.error(`openimis-fhir serve: ${message}`);
  return EXIT.usage;
}
