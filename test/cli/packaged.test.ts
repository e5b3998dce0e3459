/**
 * The package as `npm pack` makes it: the tarball holds what the commands need (the compiled CLI, the
 * built IG, its sources), and the commands run from any directory, working on the IG around that
 * directory when there is one, else on the package's own. (Its dependencies come from this project's
 * node_modules instead of the registry: the test stays offline.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/paths.js';

let scratch: string;
let cli: string;
let files: string[];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'packaged-'));
  // dist/ and fsh-generated/ are built by `npm test`'s pretest, which prepack runs for a real pack.
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  const [tarball] = packed;
  files = tarball?.files.map((file) => file.path) ?? [];
  execFileSync('tar', ['xzf', join(scratch, tarball?.filename ?? ''), '-C', scratch]);
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(scratch, 'package', 'node_modules'), 'dir');
  cli = join(scratch, 'package', 'dist', 'harness', 'cli.js');
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (args: string[], cwd: string) => {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('the packed package', () => {
  it('holds the CLI, the built IG and its sources, and nothing of the tests', () => {
    for (const needed of [
      'dist/harness/cli.js',
      'dist/harness/validate/validate-worker.js',
      'fsh-generated/.openimis-build.json',
      'fsh-generated/resources/StructureDefinition-openimis-patient.json',
      'input/fsh/profiles/openimis-patient.fsh',
      'sushi-config.yaml',
      'qa-suppressions.txt',
    ])
      expect(files, needed).toContain(needed);
    expect(files.some((file) => file.startsWith('test/') || file.startsWith('dist/test/'))).toBe(false);
  });

  it("validates from a directory with no IG, against the package's own", () => {
    const elsewhere = join(scratch, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(
      join(elsewhere, 'p.json'),
      JSON.stringify({
        resourceType: 'Patient',
        meta: {
          profile: ['https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/openimis-patient'],
        },
      }),
    );
    const result = run(['validate', 'p.json', '--no-build'], elsewhere);
    expect(result.code, result.stderr).toBe(1);
    // the openIMIS profile was found: its own rules speak
    expect(result.stdout).toMatch(/p\.json:1:\d+ +error +'Patient\.name': minimum required = 1/);
  });

  it('works on the IG around the working directory, from any folder inside it', () => {
    const ig = join(scratch, 'my-ig');
    mkdirSync(join(ig, 'deep', 'down'), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'sushi-config.yaml'), join(ig, 'sushi-config.yaml'));
    cpSync(join(PROJECT_ROOT, 'input'), join(ig, 'input'), { recursive: true });
    writeFileSync(join(ig, 'deep', 'down', 'p.json'), '{"resourceType":"Patient"}');
    // Not built yet: the command found this IG (not the package's, which is built) and says so.
    const result = run(['validate', 'p.json', '--no-build'], join(ig, 'deep', 'down'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/fsh-generated\/ is stale \(the IG has not been built\)/);
  });
});
