/**
 * The canonical registry: FHIR R4 core read lazily, and IGs from folders, unpacked packages and .tgz files.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefinitionRegistry } from '../../harness/fhir/index.js';
import { readTarball } from '../../harness/fhir/tarball.js';
import { igPaths } from '../../harness/paths.js';

const CANONICAL = 'https://openimis.github.io/openimis_fhir_r4_ig';

/** A ustar archive of the given files, as `npm pack` makes them (name, size, checksum, regular files). */
function tarball(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const content = Buffer.from(text, 'utf8');
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    const checksum = header.reduce((sum, byte) => sum + byte, 0);
    header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe('the core definitions', () => {
  const registry = DefinitionRegistry.withCore();

  it('know every R4 resource type and resolve their definitions by canonical URL', () => {
    expect(registry.isResourceType('Patient')).toBe(true);
    expect(registry.isResourceType('PaymentReconciliation')).toBe(true);
    expect(registry.isResourceType('HumanName')).toBe(false);
    expect(registry.isResourceType('SubscriptionStatus')).toBe(false);
    expect(registry.typeDefinition('Patient')?.snapshot?.element.length).toBeGreaterThan(30);
    expect(registry.typeDefinition('HumanName')?.kind).toBe('complex-type');
  });

  it('resolve ValueSets and CodeSystems, with or without a version', () => {
    expect(registry.valueSet('http://hl7.org/fhir/ValueSet/administrative-gender')?.id).toBe(
      'administrative-gender',
    );
    expect(registry.valueSet('http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1')?.id).toBe(
      'administrative-gender',
    );
    expect(registry.codeSystem('http://hl7.org/fhir/administrative-gender')?.concept?.length).toBe(4);
    expect(registry.resolve('http://example.org/nothing')).toBeUndefined();
    expect(registry.valueSet('http://hl7.org/fhir/administrative-gender')).toBeUndefined();
  });
});

describe('IG packages', () => {
  let dir: string;
  const igResources = igPaths().generatedResources;
  const patientProfile = `${CANONICAL}/StructureDefinition/openimis-patient`;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ig-packages-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('load from a folder of resources such as fsh-generated/resources', () => {
    const registry = DefinitionRegistry.withCore();
    const loaded = registry.addPackage(igResources);
    expect(loaded.resources).toBeGreaterThan(150);
    expect(registry.structureDefinition(patientProfile)?.type).toBe('Patient');
    expect(registry.valueSet(`${CANONICAL}/ValueSet/claim-status`)).toBeDefined();
  });

  it('load from an unpacked package with its manifest', () => {
    const packageDir = join(dir, 'unpacked', 'package');
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(
      join(packageDir, 'package.json'),
      JSON.stringify({ name: 'openimis.fhir.r4', version: '1.1.0' }),
    );
    for (const name of readdirSync(igResources).filter((f) => f.startsWith('StructureDefinition-'))) {
      writeFileSync(join(packageDir, name), readFileSync(join(igResources, name)));
    }
    const registry = DefinitionRegistry.withCore();
    const loaded = registry.addPackage(join(dir, 'unpacked'));
    expect(loaded).toMatchObject({ name: 'openimis.fhir.r4', version: '1.1.0' });
    expect(registry.structureDefinition(patientProfile)).toBeDefined();
  });

  it('load from a package .tgz', () => {
    const profile = readFileSync(join(igResources, 'StructureDefinition-openimis-patient.json'), 'utf8');
    const archive = join(dir, 'openimis.fhir.r4-1.1.0.tgz');
    writeFileSync(
      archive,
      tarball({
        'package/package.json': JSON.stringify({ name: 'openimis.fhir.r4', version: '1.1.0' }),
        'package/StructureDefinition-openimis-patient.json': profile,
        'package/other/ignored.json': '{"resourceType":"Basic"}',
      }),
    );
    const registry = DefinitionRegistry.withCore();
    expect(registry.addPackage(archive)).toEqual({
      name: 'openimis.fhir.r4',
      version: '1.1.0',
      resources: 1,
    });
    expect(registry.structureDefinition(patientProfile)?.id).toBe('openimis-patient');
  });

  it('reads the files of a tar archive, and refuses one cut short', () => {
    expect(readTarball(tarball({ 'package/a.json': '{}' })).map((f) => f.path)).toEqual(['package/a.json']);
    const truncated = gzipSync(oneFileArchive().subarray(0, 600));
    expect(() => readTarball(truncated)).toThrow(/ends inside/);
  });

  it('let the latest added definition win for the same URL, and an exact version still resolve', () => {
    const registry = DefinitionRegistry.withCore();
    registry.addResource({ resourceType: 'ValueSet', url: 'http://example.org/vs', version: '1', id: 'one' });
    registry.addResource({ resourceType: 'ValueSet', url: 'http://example.org/vs', version: '2', id: 'two' });
    expect(registry.valueSet('http://example.org/vs')?.id).toBe('two');
    expect(registry.valueSet('http://example.org/vs|1')?.id).toBe('one');
  });
});

/** An uncompressed archive holding one file of 1,000 bytes, to cut short. */
function oneFileArchive(): Buffer {
  const header = Buffer.alloc(512);
  header.write('package/big.json', 0);
  header.write(`${(1000).toString(8).padStart(11, '0')}\0`, 124);
  header.write('0', 156);
  return Buffer.concat([header, Buffer.alloc(1000, 32)]);
}
