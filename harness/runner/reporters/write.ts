/**
 * Writes the chosen reports of a run into a folder: run.json, junit.xml, one testreport-<scenario>.json
 * per scenario, report.html and, beside it, the bodies too large to show in it whole (bodies/).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunResult } from '../types.js';
import { BodyFiles, toHtml } from './html.js';
import { toJson } from './json.js';
import { toJUnit } from './junit.js';
import { toTestReports } from './testreport.js';
import { safeName } from './summary.js';

export type ReportFormat = 'json' | 'junit' | 'testreport' | 'html';

export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'junit', 'testreport', 'html'];

export interface WriteReportsOptions {
  /** The folder to write into, created when missing. */
  dir: string;
  formats: readonly ReportFormat[];
}

/** The files a run's reports consist of, by name, before anything is written. */
function reportFiles(result: RunResult, formats: readonly ReportFormat[]): [string, string][] {
  const files: [string, string][] = [];
  const wanted = new Set(formats);
  if (wanted.has('json')) files.push(['run.json', toJson(result)]);
  if (wanted.has('junit')) files.push(['junit.xml', toJUnit(result)]);
  if (wanted.has('testreport')) {
    const used = new Set<string>();
    for (const report of toTestReports(result)) {
      // Two scenario ids can map to the same safe name: number the later ones rather than overwrite.
      const base = `testreport-${safeName(report.testScript.identifier?.value ?? report.id ?? 'scenario')}`;
      let name = `${base}.json`;
      for (let index = 2; used.has(name); index += 1) name = `${base}-${index}.json`;
      used.add(name);
      files.push([name, `${JSON.stringify(report, null, 2)}\n`]);
    }
  }
  if (wanted.has('html')) {
    // Large bodies go beside the report, each distinct one once (bodies/).
    const bodies = new BodyFiles();
    files.push(['report.html', toHtml(result, bodies)], ...bodies.files);
  }
  return files;
}

/** Writes the reports and returns the paths of the reports written (not the bodies beside them), in order. */
export async function writeReports(result: RunResult, options: WriteReportsOptions): Promise<string[]> {
  await mkdir(options.dir, { recursive: true });
  const paths: string[] = [];
  for (const [name, content] of reportFiles(result, options.formats)) {
    const path = join(options.dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, 'utf8');
    if (!name.startsWith('bodies/')) paths.push(path);
  }
  return paths;
}
