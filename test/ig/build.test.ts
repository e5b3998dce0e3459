/**
 * `openimis-fhir build`: offline, reported with FSH file and line, skipped when up to date, and able to
 * load a deployment's diagnosis list.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFreshIg } from '../../harness/cli/fresh-ig.js';
import { buildIg, igStaleness, inputHash, readBuildStamp } from '../../harness/ig/build.js';
import { igPaths, PROJECT_ROOT } from '../../harness/paths.js';

describe('the project build', () => {
  it('compiled with SUSHI: no errors, and no warnings but the offline notices', () => {
    const stamp = readBuildStamp();
    expect(stamp, 'run `npm run build:ig` first').toBeDefined();
    expect(stamp?.errors).toBe(0);
    expect(stamp?.messages.filter((m) => !m.expectedOffline)).toEqual([]);
    for (const notice of stamp?.messages.filter((m) => m.expectedOffline) ?? []) {
      expect(notice.text).toMatch(
        /hl7\.fhir\.uv\.tools\.r4|hl7\.terminology\.r4|hl7\.fhir\.uv\.extensions\.r4/,
      );
    }
  });

  it('is skipped when nothing changed', async () => {
    const result = await buildIg();
    expect(result.status).toBe('up-to-date');
  });
});

describe('a build of a copy of the IG', () => {
  let root: string;
  const copyIg = () => {
    cpSync(join(PROJECT_ROOT, 'sushi-config.yaml'), join(root, 'sushi-config.yaml'));
    cpSync(join(PROJECT_ROOT, 'input'), join(root, 'input'), { recursive: true });
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ig-copy-'));
    copyIg();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('sees any change to the FSH as a reason to rebuild', () => {
    const before = inputHash(root, undefined);
    writeFileSync(
      join(root, 'input', 'fsh', 'aliases', 'extra.fsh'),
      'Alias: $extra = http://example.org/extra\n',
    );
    expect(inputHash(root, undefined)).not.toBe(before);
    rmSync(join(root, 'input', 'fsh', 'aliases', 'extra.fsh'));
    expect(inputHash(root, undefined)).toBe(before);
  });

  it('fails on a broken rule and says which FSH file and line', async () => {
    const broken = join(root, 'input', 'fsh', 'profiles', 'broken.fsh');
    writeFileSync(
      broken,
      'Profile: BrokenPatient\nParent: Patient\nId: broken-patient\nTitle: "Broken"\nDescription: "Broken"\n* nonexistentElement 1..1\n',
    );
    try {
      const result = await buildIg({ root });
      expect(result.status).toBe('failed');
      if (result.status !== 'failed') return;
      expect(result.messages).toContainEqual(
        expect.objectContaining({ level: 'error', file: expect.stringContaining('broken.fsh'), line: 6 }),
      );
    } finally {
      rmSync(broken);
    }
  });

  it("loads a deployment's full diagnosis list into the ICD-10 CodeSystem", async () => {
    mkdirSync(join(root, 'input', 'data'), { recursive: true });
    writeFileSync(
      join(root, 'input', 'data', 'diagnosis-ICD10-level1.csv'),
      'code,display\nA00,Cholera\nA01,Typhoid and paratyphoid fevers\nZ99,"Dependence on enabling machines and devices, not elsewhere classified"\n',
    );
    const result = await buildIg({ root });
    expect(result.status).toBe('built');
    const codeSystem = JSON.parse(
      readFileSync(join(igPaths(root).generatedResources, 'CodeSystem-diagnosis-ICD10-level1.json'), 'utf8'),
    );
    expect(codeSystem).toMatchObject({ content: 'complete', count: 3 });
    expect(codeSystem.concept.map((c: { code: string }) => c.code)).toEqual(['A00', 'A01', 'Z99']);
  });

  it('says when fsh-generated/ no longer matches the FSH, and a command with --no-build refuses it', async () => {
    const built = await buildIg({ root });
    expect(built.status).not.toBe('failed');
    expect(igStaleness(root)).toBeUndefined();
    const extra = join(root, 'input', 'fsh', 'aliases', 'extra.fsh');
    writeFileSync(extra, 'Alias: $extra = http://example.org/extra\n');
    try {
      expect(igStaleness(root)).toMatch(/input\/ or sushi-config.yaml changed/);
      const said: string[] = [];
      const refused = await ensureFreshIg({ noBuild: true, root, say: (line) => said.push(line) });
      expect(refused?.message).toMatch(/fsh-generated\/ is stale .*run 'openimis-fhir build'/);
      expect(said).toEqual([]);
    } finally {
      rmSync(extra);
    }
    expect(igStaleness(root)).toBeUndefined();
    expect(await ensureFreshIg({ noBuild: true, root, say: () => undefined })).toBeUndefined();
  });
});
