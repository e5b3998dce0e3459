/**
 * Node 20 cannot import TypeScript. These module hooks (registered once, only when a scenario folder
 * holds .ts files) compile each .ts module with TypeScript's transpileModule (types are erased, not
 * checked) and point `openimis-fhir` imports at this runner, so a user's scenario file needs no build step.
 * The hooks run on Node's loader thread, so they are plain JavaScript handed over as a data: URL.
 */
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const HOOKS = `
let ts;
let runner;
export async function initialize(data) {
  ts = (await import(data.typescript)).default;
  runner = data.runner;
}
const TYPESCRIPT = /\\.(c|m)?ts$/;
export async function resolve(specifier, context, next) {
  if (specifier === 'openimis-fhir' || specifier === 'openimis-fhir/runner') return { url: runner, shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (error) {
    // TypeScript's NodeNext style names the compiled file ('./helpers.js') for a './helpers.ts' source.
    const relative = /^(\\.{1,2}\\/|\\/|file:)/.test(specifier);
    if (relative && TYPESCRIPT.test(context.parentURL ?? '') && /\\.m?js$/.test(specifier)) {
      return next(specifier.replace(/\\.js$/, '.ts').replace(/\\.mjs$/, '.mts'), context);
    }
    throw error;
  }
}
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(url) || url.endsWith('.d.ts')) return next(url, context);
  const { readFile } = await import('node:fs/promises');
  const source = await readFile(new URL(url), 'utf8');
  const output = ts.transpileModule(source, {
    fileName: url,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
  });
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
`;

let registered: true | Error | undefined;

/** Registers the hooks once; an Error when TypeScript is not installed. */
export function enableTypeScriptScenarios(): true | Error {
  if (registered !== undefined) return registered;
  const require = createRequire(import.meta.url);
  let typescript: string;
  try {
    typescript = require.resolve('typescript');
  } catch {
    registered = new Error(
      'TypeScript scenarios need the typescript package (npm install typescript), or compile them to .js first',
    );
    return registered;
  }
  const runner = new URL('./index.js', import.meta.url).href;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
    data: { typescript: pathToFileURL(typescript).href, runner },
  });
  registered = true;
  return registered;
}
