/**
 * Loading users' scenario files: JavaScript and TypeScript modules whose default export (or `scenarios`)
 * is a scenario or a list of them; shape errors name the file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { loadScenarios } from '../../harness/runner/index.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'oi-scenarios-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  return folder;
}

const step = `{ id: 'read', title: 'Read', run: async (t) => { t.expect(await t.get('metadata')).status(200); } }`;

describe('loadScenarios', () => {
  it('loads default exports and `scenarios` lists from .mjs, .js and .ts files, in name order', async () => {
    const folder = folderWith({
      'b-one.mjs': `export default { id: 'one', title: 'One', steps: [${step}] };`,
      'a-many.mjs': `export const scenarios = [{ id: 'two', title: 'Two', steps: [${step}] }, { id: 'three', title: 'Three', steps: [] }];`,
      'c-typed.ts': `interface Shape { id: string }\nconst id: Shape['id'] = 'typed';\nexport default { id, title: 'Typed', steps: [] as never[] };`,
      '_helpers.mjs': `throw new Error('helpers are not scenario files');`,
      'lib/nested.mjs': `throw new Error('subfolders are not read');`,
      'notes.txt': 'ignored',
    });
    const loaded = await loadScenarios(folder);
    expect(loaded).not.toBeInstanceOf(Error);
    expect((loaded as { id: string }[]).map((scenario) => scenario.id)).toEqual([
      'two',
      'three',
      'one',
      'typed',
    ]);
  });

  it('names the file and the problem', async () => {
    const bad = folderWith({
      'bad.mjs': `export default { id: 'Bad', steps: [{ id: 'x', title: 'x' }] };`,
      'dup-a.mjs': `export default { id: 'dup', title: 'A', steps: [] };`,
      'dup-b.mjs': `export default { id: 'dup', title: 'B', steps: [] };`,
    });
    const error = await loadScenarios(bad);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('bad.mjs.id must be a kebab-case string, found "Bad"');
    expect((error as Error).message).toContain('bad.mjs (Bad).title must be a non-empty string');
    expect((error as Error).message).toContain('bad.mjs (Bad).steps[0].run must be a function');
    expect((error as Error).message).toContain(
      'dup-b.mjs: the scenario id "dup" is already used by dup-a.mjs',
    );

    const nothing = await loadScenarios(folderWith({ 'x.mjs': 'export const other = 1;' }));
    expect((nothing as Error).message).toMatch(/^x\.mjs exports no scenario/);
    const throws = await loadScenarios(folderWith({ 'x.mjs': `throw new Error('broken import');` }));
    expect((throws as Error).message).toBe('cannot load the scenario file x.mjs: broken import');
    expect(((await loadScenarios(folderWith({ 'readme.md': '' }))) as Error).message).toMatch(
      /holds no scenario files/,
    );
    expect((await loadScenarios('/nonexistent/folder')) as Error).toBeInstanceOf(Error);
  });
});

/** The compiled runner, when it is at least as new as its sources (`npm test` builds it first). */
function freshCompiledRunner(): string | undefined {
  const compiled = join(PROJECT_ROOT, 'dist', 'harness', 'runner', 'index.js');
  if (!existsSync(compiled)) return undefined;
  const built = statSync(compiled).mtimeMs;
  const sources = ['loader.ts', 'typescript-hooks.ts', 'index.ts'].map((file) =>
    join(PROJECT_ROOT, 'harness', 'runner', file),
  );
  return sources.every((source) => statSync(source).mtimeMs <= built) ? compiled : undefined;
}

describe('TypeScript scenarios under plain Node (the compiled CLI)', () => {
  const compiled = freshCompiledRunner();
  it.skipIf(compiled === undefined)(
    'compiles .ts files on import, resolves openimis-fhir and ./x.js to ./x.ts',
    () => {
      const folder = folderWith({
        'typed.ts': [
          `import { scenario, step, type StepContext } from 'openimis-fhir';`,
          `import { family } from './lib/names.js';`,
          `const read = async (t: StepContext): Promise<void> => { t.fail(family); };`,
          `export default scenario({ id: 'typed', title: family, steps: [step({ id: 'read', title: 'Read', run: read })] });`,
        ].join('\n'),
        'lib/names.ts': `export const family: string = 'Doe';`,
      });
      const script = `import { loadScenarios } from ${JSON.stringify(pathToFileURL(compiled ?? '').href)};
const loaded = await loadScenarios(${JSON.stringify(folder)});
console.log(JSON.stringify(loaded instanceof Error ? loaded.message : loaded.map((s) => [s.id, s.title, typeof s.steps[0].run])));`;
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
      });
      expect(JSON.parse(output)).toEqual([['typed', 'Doe', 'function']]);
    },
  );
});
