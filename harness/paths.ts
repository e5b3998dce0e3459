/**
 * Where the project's files are. Everything is found from the project root, so the compiled CLI
 * (dist/harness/...) and the TypeScript sources run by the tests (harness/...) agree.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'openimis-fhir') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no openimis-fhir package.json above ${start}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * The IG the commands work on: the nearest folder at or above the working directory that holds a
 * sushi-config.yaml (an author's IG, wherever the tool is installed), else this project's own.
 */
export const IG_ROOT = findIgRoot(process.cwd()) ?? PROJECT_ROOT;

function findIgRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'sushi-config.yaml'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The IG's layout, relative to a project root (tests build copies of the IG in temporary folders). */
export function igPaths(root: string = IG_ROOT) {
  return {
    root,
    sushiConfig: join(root, 'sushi-config.yaml'),
    input: join(root, 'input'),
    fsh: join(root, 'input', 'fsh'),
    diagnosisCodes: join(root, 'input', 'data', 'diagnosis-ICD10-level1.csv'),
    generated: join(root, 'fsh-generated'),
    generatedResources: join(root, 'fsh-generated', 'resources'),
    buildStamp: join(root, 'fsh-generated', '.openimis-build.json'),
  };
}

export type IgPaths = ReturnType<typeof igPaths>;

/**
 * The offline FHIR package cache. SUSHI reads packages from `$HOME/.fhir/packages`, so it runs with HOME
 * pointing here: the user's own ~/.fhir is never read or written. It lives in this project, or, where
 * the project cannot be written (installed globally), in ~/.cache/openimis-fhir.
 */
export function fhirCachePaths(root: string = cacheRoot()) {
  const home = join(root, '.fhir-cache', 'home');
  return { home, packages: join(home, '.fhir', 'packages') };
}

function cacheRoot(): string {
  try {
    accessSync(PROJECT_ROOT, constants.W_OK);
    return PROJECT_ROOT;
  } catch {
    return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'openimis-fhir');
  }
}

const require = createRequire(import.meta.url);

/** The folder and version of an installed npm package (some packages do not export package.json). */
export function installedPackage(name: string): { dir: string; version: string } {
  for (const nodeModules of require.resolve.paths(name) ?? []) {
    const manifest = join(nodeModules, name, 'package.json');
    if (existsSync(manifest)) {
      const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
      return { dir: join(nodeModules, name), version };
    }
  }
  throw new Error(`the npm package ${name} is not installed (run npm ci)`);
}

/** This project's version, from its package.json. */
export function projectVersion(): string {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return version ?? '0.0.0';
}

/**
 * A worker thread's compiled script, `name` beside the module at `moduleUrl` (its import.meta.url). Run
 * from the TypeScript sources (the tests), there is no .js beside the module: the build's copy under
 * dist/ is used (`npm test` builds first).
 */
export function compiledWorker(moduleUrl: string, name: string): string {
  const here = fileURLToPath(moduleUrl);
  const beside = join(dirname(here), name);
  if (here.endsWith('.js') && existsSync(beside)) return beside;
  const relative = dirname(here).slice(PROJECT_ROOT.length + 1);
  return join(PROJECT_ROOT, 'dist', relative, name);
}
