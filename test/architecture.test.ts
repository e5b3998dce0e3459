/**
 * The layout docs/architecture.md describes, held by a test: no import cycle anywhere in harness/
 * (type-only imports count: a cycle of types is still two modules that cannot be understood apart),
 * folders depend only on the folders the architecture allows them, and no file grows past ~600 lines
 * without saying, in its header, why it must stay one file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/paths.js';

const HARNESS = join(PROJECT_ROOT, 'harness');
const MAX_LINES = 600;
/** The words a longer file's header uses to say why it stays one file. */
const ONE_FILE_REASON = /kept as one file/i;

/** Modules at the top of harness/ that import nothing of the project: anyone may use them. */
const LEAVES = ['paths', 'json', 'xml', 'processes'];

/**
 * Which folders of harness/ each folder may import, besides the leaves (data flows one way:
 * definitions, validator, then the server and the runner, then the commands).
 */
const ALLOWED: Record<string, string[]> = {
  ...Object.fromEntries(LEAVES.map((leaf) => [leaf, []])),
  fhir: [],
  openimis: [],
  terminology: ['fhir'],
  ig: ['fhir'],
  validator: ['fhir', 'terminology'],
  qa: ['ig', 'fhir', 'validator'],
  server: ['fhir', 'ig', 'validator', 'terminology', 'openimis'],
  runner: ['fhir', 'validator'],
  scenarios: ['runner', 'openimis', 'sync'],
  sync: ['fhir', 'validator', 'runner', 'openimis'],
  validate: ['fhir', 'validator'],
  site: ['fhir', 'ig', 'validator'],
  load: ['fhir', 'validator', 'validate', 'server'],
  oracle: ['fhir', 'validator', 'terminology', 'cli'],
  cli: [
    'fhir',
    'ig',
    'qa',
    'validator',
    'terminology',
    'server',
    'runner',
    'scenarios',
    'validate',
    'site',
    'sync',
    'load',
  ],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(HARNESS);
const known = new Set(files);

/** Each file's imports of other files of harness/ (static, type-only, re-exports and import()). */
const imports = new Map(
  files.map((file) => {
    const found = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
    const targets = found
      .map((item) => item.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => resolve(dirname(file), name).replace(/\.js$/, '.ts'))
      .filter((target) => known.has(target));
    return [file, targets] as const;
  }),
);

/** The strongly connected components of more than one file (Tarjan), or a file that imports itself. */
function cycles(graph: Map<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target))
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component);
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const shown = (file: string) => relative(PROJECT_ROOT, file);
const folderOf = (file: string) => relative(HARNESS, file).split('/')[0]?.replace(/\.ts$/, '') ?? '';

describe('the layout of harness/', () => {
  it('has no import cycle', () => {
    expect(cycles(imports).map((component) => component.map(shown).sort().join(' <-> '))).toEqual([]);
  });

  it('the cycle check finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    expect(cycles(graph).map((c) => c.sort())).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('every folder imports only the folders it may', () => {
    const wrong: string[] = [];
    for (const [file, targets] of imports) {
      const from = folderOf(file);
      const allowed = ALLOWED[from];
      if (!allowed) {
        wrong.push(`${shown(file)}: the folder '${from}' is not in the architecture test's table`);
        continue;
      }
      for (const target of targets) {
        const to = folderOf(target);
        const leafImportingProject = LEAVES.includes(from);
        const permitted =
          to === from || (!leafImportingProject && (LEAVES.includes(to) || allowed.includes(to)));
        if (!permitted) wrong.push(`${shown(file)} imports ${shown(target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it(`no file is over ${MAX_LINES} lines without saying why it is kept as one file`, () => {
    const long = files
      .map((file) => ({ file, text: readFileSync(file, 'utf8') }))
      .map(({ file, text }) => ({
        file,
        lines: text.split('\n').length,
        header: text.slice(0, text.indexOf('*/') + 2),
      }))
      .filter(({ lines, header }) => lines > MAX_LINES && !ONE_FILE_REASON.test(header))
      .map(({ file, lines }) => `${shown(file)}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});
