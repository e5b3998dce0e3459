/**
 * `openimis-fhir site [--root DIR] [--out DIR] [--no-build]`
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IG_ROOT } from '../paths.js';
import { buildSite } from '../site/index.js';
import { EXIT, exitCodesText, type ExitCode } from './exit-codes.js';
import { ensureFreshIg } from './fresh-ig.js';
import { tryParseArgs, usageOrHelp } from './support.js';

const HELP = `Usage: openimis-fhir site [options]

Writes a static preview of the IG, without Java: a page per profile and extension (element tables with
cardinality, types, bindings, must-support, slices and invariants; differential and snapshot), per
CodeSystem and ValueSet (their concepts), per example (its JSON and its validation result), and an
index with a search. Open index.html in a browser; nothing is fetched from the network.

Options:
  --root DIR   the IG (default: the one around the working directory, else this package's)
  --out DIR    where the site goes, emptied first (default <root>/output/site)
  --no-build   refuse a stale fsh-generated/ instead of building it first
  -h, --help   show this help

${exitCodesText('site', 'plain')}`;

export async function runSiteCommand(args: string[]): Promise<ExitCode> {
  const parsed = tryParseArgs({
    args,
    options: {
      root: { type: 'string' },
      out: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!parsed.ok || parsed.parsed.values.help) return usageOrHelp('site', HELP, parsed);
  const { values } = parsed.parsed;
  const root = values.root ? resolve(values.root) : IG_ROOT;
  const stale = await ensureFreshIg({
    noBuild: values['no-build'],
    say: (line) => console.error(line),
    root,
  });
  if (stale) {
    console.error(`openimis-fhir site: ${stale.message}`);
    return EXIT.usage;
  }
  const site = buildSite(root, values.out ? resolve(values.out) : join(root, 'output', 'site'));
  console.log(
    `site: ${site.pages} pages in ${site.dir}${site.invalidExamples ? ` (${site.invalidExamples} examples with errors)` : ''}\n` +
      `open ${pathToFileURL(join(site.dir, 'index.html')).href}`,
  );
  return EXIT.ok;
}
