/**
 * Users' own scenarios (`--scenarios DIR`): every .js, .mjs, .ts and .mts file directly in the folder
 * (helpers go in subfolders, or in files whose names start with `_`) is imported; its default export, or
 * its named export `scenarios`, is a scenario or a list of them. Their shape is checked here, so a
 * mistake is named with its file before anything runs.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scenariosProblems } from './definition-checks.js';
import { messageOf } from './signals.js';
import type { ScenarioDefinition } from './types.js';
import { enableTypeScriptScenarios } from './typescript-hooks.js';

const SCENARIO_FILE = /^[^._].*\.(m?js|m?ts)$/;

export async function loadScenarios(dir: string): Promise<ScenarioDefinition[] | Error> {
  const folder = resolve(dir);
  try {
    if (!(await stat(folder)).isDirectory()) return new Error(`${dir} is not a folder`);
  } catch (error) {
    return new Error(
      `cannot read the scenarios folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`,
    );
  }
  const files = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && SCENARIO_FILE.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => entry.name)
    .sort();
  if (files.length === 0) return new Error(`${dir} holds no scenario files (.js, .mjs, .ts, .mts)`);
  // The hooks compile TypeScript files and let any scenario file `import ... from 'openimis-fhir'`.
  const enabled = enableTypeScriptScenarios();
  if (enabled instanceof Error) return enabled;

  const loaded: unknown[] = [];
  const origins: string[] = [];
  for (const file of files) {
    let module: { default?: unknown; scenarios?: unknown };
    try {
      module = (await import(pathToFileURL(join(folder, file)).href)) as typeof module;
    } catch (error) {
      return new Error(`cannot load the scenario file ${file}: ${messageOf(error)}`);
    }
    const exported = module.default ?? module.scenarios;
    if (exported === undefined) {
      return new Error(
        `${file} exports no scenario: write \`export default scenario({...})\` or \`export const scenarios = [...]\``,
      );
    }
    const list = Array.isArray(exported) ? exported : [exported];
    list.forEach((value, index) => {
      loaded.push(value);
      origins.push(Array.isArray(exported) ? `${file}[${index}]` : file);
    });
  }
  const problems = scenariosProblems(loaded, (index) => origins[index] ?? `scenario ${index + 1}`);
  if (problems.length > 0)
    return new Error(`the scenarios in ${dir} are not well formed:\n  ${problems.join('\n  ')}`);
  return loaded as ScenarioDefinition[];
}
