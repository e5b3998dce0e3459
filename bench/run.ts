/**
 * `npm run bench [-- suite...]`: runs the named suites, or all of them, one after the other. Each suite
 * prints its own table and writes reports/bench-<suite>.json. Settings come from the environment (see
 * each suite's header).
 */
const SUITES: Record<string, () => Promise<void>> = {
  server: async () => (await import('./server/index.js')).runServerBench(),
  validator: async () => (await import('./validator/index.js')).runValidatorBench(),
};

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in SUITES));
  if (unknown.length > 0) {
    console.error(`unknown bench suite ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
    return 2;
  }
  for (const name of asked.length > 0 ? asked : Object.keys(SUITES)) await SUITES[name]!();
  return 0;
}

process.exitCode = await main();
