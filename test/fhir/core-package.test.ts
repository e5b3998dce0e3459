import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CORE_PACKAGE_ID,
  ensureCorePackage,
  type CorePackageResult,
} from '../../harness/fhir/core-package.js';

describe('the offline R4 core package', () => {
  let cacheDir: string;
  let built: CorePackageResult;

  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'core-package-'));
    built = ensureCorePackage(cacheDir);
  });
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('is built from the R4 bundles, one file per resource, with a manifest and an index', () => {
    expect(built.status).toBe('built');
    const contentDir = join(built.dir, 'package');
    const manifest = JSON.parse(readFileSync(join(contentDir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'hl7.fhir.r4.core', version: '4.0.1', fhirVersions: ['4.0.1'] });

    const index = JSON.parse(readFileSync(join(contentDir, '.index.json'), 'utf8'));
    const resourceFiles = readdirSync(contentDir).filter(
      (f) => f.endsWith('.json') && !f.startsWith('.') && f !== 'package.json',
    );
    expect(index['index-version']).toBe(1);
    expect(index.files.map((f: { filename: string }) => f.filename).sort()).toEqual(resourceFiles.sort());
    expect(built.resourceCount).toBe(resourceFiles.length);
    expect(resourceFiles.length).toBeGreaterThan(4000);
    for (const name of [
      'StructureDefinition-Patient.json',
      'StructureDefinition-Extension.json',
      'ValueSet-administrative-gender.json',
      'CodeSystem-v3-ActCode.json',
      'SearchParameter-Patient-identifier.json',
    ]) {
      expect(resourceFiles).toContain(name);
    }
  });

  it('holds only FHIR 4.0.1 definitions: the 4.3.0 SubscriptionStatus is left out', () => {
    expect(built.skipped).toContainEqual(
      expect.objectContaining({ reference: 'StructureDefinition/SubscriptionStatus' }),
    );
    const contentDir = join(built.dir, 'package');
    for (const name of readdirSync(contentDir).filter((f) => f.startsWith('StructureDefinition-'))) {
      const { fhirVersion } = JSON.parse(readFileSync(join(contentDir, name), 'utf8'));
      expect([undefined, '4.0.1']).toContain(fhirVersion);
    }
  });

  it('is reused when it is already there', () => {
    const again = ensureCorePackage(cacheDir);
    expect(again.status).toBe('up-to-date');
    expect(again.resourceCount).toBe(built.resourceCount);
  });

  it('never overwrites a package the user put there', () => {
    const userCache = mkdtempSync(join(tmpdir(), 'user-cache-'));
    try {
      const contentDir = join(userCache, CORE_PACKAGE_ID, 'package');
      mkdirSync(contentDir, { recursive: true });
      const manifest = '{"name":"hl7.fhir.r4.core","version":"4.0.1","note":"the real one"}';
      writeFileSync(join(contentDir, 'package.json'), manifest);
      const result = ensureCorePackage(userCache);
      expect(result.status).toBe('foreign');
      expect(readFileSync(join(contentDir, 'package.json'), 'utf8')).toBe(manifest);
      expect(readdirSync(contentDir)).toEqual(['package.json']);
    } finally {
      rmSync(userCache, { recursive: true, force: true });
    }
  });
});
