/**
 * Commands that read fsh-generated/ (serve, test, validate) first make sure it is what the FSH says:
 * an IG edited since its last build is built again before it is used (SUSHI, offline, some seconds),
 * or, with --no-build, refused with the command to run. Nothing uses a stale IG without saying so.
 */
import { buildIg, igStaleness } from '../ig/build.js';

/** Undefined when the IG is fresh (or was just built); an Error saying what to do otherwise. */
export async function ensureFreshIg(options: {
  noBuild: boolean;
  say: (line: string) => void;
  /** The project (tests use copies); this one by default. */
  root?: string;
}): Promise<Error | undefined> {
  const stale = igStaleness(options.root);
  if (stale === undefined) return undefined;
  if (options.noBuild)
    return new Error(
      `fsh-generated/ is stale (${stale}): run 'openimis-fhir build', or leave out --no-build`,
    );
  options.say(`fsh-generated/ is stale (${stale}): building the IG first (--no-build refuses instead)`);
  const result = await buildIg(options.root ? { root: options.root } : {});
  if (result.status === 'failed')
    return new Error(`the IG build failed (${result.reason}): run 'openimis-fhir build' to see each message`);
  options.say('IG built');
  return undefined;
}
