/** Terminology on the real R4 core package and the openIMIS IG's own ValueSets. */
import { beforeAll, describe, expect, it } from 'vitest';
import { Terminology } from '../../harness/terminology/index.js';
import { coreAndIgSource } from '../support/terminology-sources.js';

const VS = 'http://hl7.org/fhir/ValueSet/';
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig/';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-';

let tx: Terminology;
beforeAll(() => {
  tx = new Terminology(coreAndIgSource());
});

const codesOf = (valueSet: string): string[] => {
  const expansion = tx.expand(valueSet);
  if (!expansion.ok) throw new Error(expansion.message);
  return expansion.contains.map((c) => c.code).sort();
};

describe('core ValueSets', () => {
  it('administrative-gender', () => {
    expect(codesOf(`${VS}administrative-gender`)).toEqual(['female', 'male', 'other', 'unknown']);
    expect(tx.checkCode(`${VS}administrative-gender`, undefined, 'female')).toEqual({
      result: 'valid',
      display: 'Female',
    });
    expect(
      tx.checkCode(`${VS}administrative-gender|4.0.1`, 'http://hl7.org/fhir/administrative-gender', 'male')
        .result,
    ).toBe('valid');
    expect(tx.checkCode(`${VS}administrative-gender`, undefined, 'F')).toMatchObject({ result: 'invalid' });
  });

  it('marital-status: all of v3 MaritalStatus plus NullFlavor UNK', () => {
    const codes = codesOf(`${VS}marital-status`);
    expect(codes).toEqual(expect.arrayContaining(['A', 'D', 'I', 'L', 'M', 'P', 'S', 'T', 'U', 'W', 'UNK']));
    expect(tx.checkCode(`${VS}marital-status`, `${V3}NullFlavor`, 'UNK').result).toBe('valid');
    expect(tx.checkCode(`${VS}marital-status`, `${V3}NullFlavor`, 'NI').result).toBe('invalid');
    expect(tx.checkCode(`${VS}marital-status`, `${V3}MaritalStatus`, 'X').result).toBe('invalid');
  });

  it('observation-category', () => {
    expect(codesOf(`${VS}observation-category`)).toContain('vital-signs');
    expect(
      tx.checkCode(
        `${VS}observation-category`,
        'http://terminology.hl7.org/CodeSystem/observation-category',
        'laboratory',
      ),
    ).toEqual({ result: 'valid', display: 'Laboratory' });
  });

  it('an is-a filter on v3 ActCode, minus its abstract root', () => {
    const encounter = 'http://terminology.hl7.org/ValueSet/v3-ActEncounterCode';
    const codes = codesOf(encounter);
    expect(codes).toEqual(expect.arrayContaining(['AMB', 'EMER', 'IMP', 'ACUTE', 'NONAC', 'HH', 'VR']));
    expect(codes).not.toContain('_ActEncounterCode');
    expect(tx.checkCode(encounter, `${V3}ActCode`, 'AMB')).toEqual({
      result: 'valid',
      display: 'ambulatory',
    });
    expect(tx.checkCode(encounter, `${V3}ActCode`, '_ActEncounterCode').result).toBe('invalid');
    expect(tx.checkCode(encounter, `${V3}ActCode`, 'CASH').result).toBe('invalid');
  });

  it('SNOMED CT is never held: clinical-findings cannot be checked', () => {
    expect(tx.checkCode(`${VS}clinical-findings`, 'http://snomed.info/sct', '38341003')).toMatchObject({
      result: 'unknown-system',
      system: 'http://snomed.info/sct',
    });
    expect(tx.checkCode(`${VS}clinical-findings`, 'http://loinc.org', '1234-5').result).toBe('invalid');
  });

  it('languages: the enumerated tags; all-languages: any well-formed BCP-47 tag', () => {
    expect(tx.checkCode(`${VS}languages`, 'urn:ietf:bcp:47', 'en-US')).toEqual({
      result: 'valid',
      display: 'English (United States)',
    });
    expect(tx.checkCode(`${VS}languages`, undefined, 'en-US').result).toBe('valid');
    expect(tx.checkCode(`${VS}languages`, undefined, 'tlh').result).toBe('invalid');
    expect(tx.checkCode(`${VS}all-languages`, undefined, 'sgn-BE-FR').result).toBe('valid');
    expect(tx.checkCode(`${VS}all-languages`, undefined, 'zh-Hant-TW').result).toBe('valid');
    expect(tx.checkCode(`${VS}all-languages`, undefined, 'english!').result).toBe('invalid');
  });

  it('mimetypes: any type/subtype', () => {
    expect(tx.checkCode(`${VS}mimetypes`, undefined, 'application/fhir+json').result).toBe('valid');
    expect(tx.checkCode(`${VS}mimetypes`, undefined, 'text/plain; charset=UTF-8').result).toBe('valid');
    expect(tx.checkCode(`${VS}mimetypes`, undefined, 'pdf')).toMatchObject({ result: 'invalid' });
    expect(tx.expand(`${VS}mimetypes`).ok).toBe(false);
  });

  it('currencies: ISO 4217 has no CodeSystem in the core package, so it cannot be checked', () => {
    expect(tx.checkCode(`${VS}currencies`, undefined, 'EUR')).toMatchObject({
      result: 'unknown-system',
      system: 'urn:iso:std:iso:4217',
    });
  });

  it('a bare code not in any included system (HL7 synthea case: encounter-status "completed")', () => {
    expect(tx.checkCode(`${VS}encounter-status`, undefined, 'completed')).toMatchObject({
      result: 'invalid',
      message: expect.stringContaining('System URI could not be determined'),
    });
    expect(tx.checkCode(`${VS}encounter-status`, undefined, 'finished').result).toBe('valid');
  });

  it('a wrong display is for the caller to judge, with every display the lookup returns', () => {
    const lookup = tx.lookup('http://terminology.hl7.org/CodeSystem/v2-0203', 'PRN');
    expect(lookup).toMatchObject({ found: true, display: 'Provider number' });
    expect(tx.lookup('http://loinc.org', '59284-0')).toMatchObject({
      found: false,
      reason: 'unknown-system',
    });
    expect(tx.lookup('http://example.org/unknown', 'x')).toMatchObject({
      found: false,
      reason: 'unknown-system',
      message:
        "A definition for CodeSystem 'http://example.org/unknown' could not be found, so the code cannot be validated",
    });
  });
});

describe('the openIMIS IG ValueSets', () => {
  it('patient-marital-status lists its v3 codes', () => {
    const url = `${IG}ValueSet/patient-marital-status`;
    expect(codesOf(url)).toEqual(['D', 'M', 'S', 'UNK', 'W']);
    expect(tx.checkCode(url, `${V3}MaritalStatus`, 'M')).toEqual({ result: 'valid', display: 'Married' });
    expect(tx.checkCode(url, `${V3}MaritalStatus`, 'A').result).toBe('invalid');
  });

  it('location-type: a whole IG system plus one physical type', () => {
    const url = `${IG}ValueSet/location-type`;
    const codes = codesOf(url);
    expect(codes).toContain('si');
    expect(codes.length).toBeGreaterThan(1);
    expect(
      tx.checkCode(url, 'http://terminology.hl7.org/CodeSystem/location-physical-type', 'si').result,
    ).toBe('valid');
    expect(
      tx.checkCode(url, 'http://terminology.hl7.org/CodeSystem/location-physical-type', 'bu').result,
    ).toBe('invalid');
  });

  it('coverage-item-benefit-type', () => {
    const url = `${IG}ValueSet/coverage-item-benefit-type`;
    expect(codesOf(url)).toEqual(['item_left', 'min_date_item']);
    expect(tx.checkCode(url, `${IG}CodeSystem/coverage-item-benefit-type`, 'item_left').result).toBe('valid');
  });

  it('every IG ValueSet expands', () => {
    const urls = coreAndIgSource().urls('ValueSet', IG);
    expect(urls.length).toBeGreaterThan(50);
    for (const url of urls) expect(tx.expand(url), url).toMatchObject({ ok: true });
  });
});
