/**
 * Timings on big core ValueSets: the first check (reading and indexing the CodeSystem, compiling the
 * ValueSet), then repeated checks, which must be Map lookups. Bounds are loose; the table is printed.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Terminology } from '../../harness/terminology/index.js';
import { coreAndIgSource } from '../support/terminology-sources.js';

const V3 = 'http://terminology.hl7.org/CodeSystem/v3-';
const cases: { valueSet: string; system: string; codes: string[] }[] = [
  {
    valueSet: 'http://terminology.hl7.org/ValueSet/v3-ActCode',
    system: `${V3}ActCode`,
    codes: ['AMB', 'CASH', 'NOPE'],
  },
  {
    valueSet: 'http://terminology.hl7.org/ValueSet/v3-ActEncounterCode',
    system: `${V3}ActCode`,
    codes: ['AMB', 'IMP', 'CASH'],
  },
  {
    valueSet: 'http://terminology.hl7.org/ValueSet/v3-PersonalRelationshipRoleType',
    system: `${V3}RoleCode`,
    codes: ['MTH', 'DAUADOPT', 'DOCTOR'],
  },
  {
    valueSet: 'http://terminology.hl7.org/ValueSet/v3-Race',
    system: `${V3}Race`,
    codes: ['2106-3', '1002-5', 'x'],
  },
  {
    valueSet: 'http://hl7.org/fhir/ValueSet/audit-event-sub-type',
    system: 'http://dicom.nema.org/resources/ontology/DCM',
    codes: ['110120', '110100', '999'],
  },
  {
    valueSet: 'http://hl7.org/fhir/ValueSet/patient-contactrelationship',
    system: 'http://terminology.hl7.org/CodeSystem/v2-0131',
    codes: ['C', 'O', 'E'],
  },
];

const REPEATS = 100_000;

describe('terminology performance', () => {
  it('answers the first check quickly and repeated checks in constant time', () => {
    const source = coreAndIgSource();
    const rows: Record<string, string>[] = [];
    for (const { valueSet, system, codes } of cases) {
      // A fresh Terminology per ValueSet, so each first check pays for its own CodeSystem. The source
      // keeps parsed files, so the JSON read is counted once per CodeSystem file.
      const tx = new Terminology(source);
      let start = performance.now();
      const first = tx.checkCode(valueSet, system, codes[0] as string);
      const firstMs = performance.now() - start;
      expect(first.result, valueSet).toBe('valid');

      start = performance.now();
      for (const code of codes.slice(1)) tx.checkCode(valueSet, system, code);
      const otherCodesMs = (performance.now() - start) / (codes.length - 1);

      start = performance.now();
      for (let i = 0; i < REPEATS; i++) tx.checkCode(valueSet, system, codes[i % codes.length] as string);
      const repeatedUs = ((performance.now() - start) * 1000) / REPEATS;

      start = performance.now();
      const expansion = tx.expand(valueSet);
      const expandMs = performance.now() - start;

      rows.push({
        valueSet: valueSet.replace(/^.*\/ValueSet\//, ''),
        'first check (ms)': firstMs.toFixed(2),
        'next new code (ms)': otherCodesMs.toFixed(3),
        'repeated (µs)': repeatedUs.toFixed(3),
        'expand (ms)': expandMs.toFixed(2),
        codes: expansion.ok ? String(expansion.contains.length) : 'n/a',
      });
      expect(firstMs).toBeLessThan(1000);
      expect(repeatedUs).toBeLessThan(5);
    }
    console.table(rows);
  });
});
