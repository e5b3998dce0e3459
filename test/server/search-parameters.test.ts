/** Each parameter type with its modifiers and prefixes, AND/OR and :missing, through the engine. */
import { beforeAll, describe, expect, it } from 'vitest';
import { searchFixture, type SearchFixture } from '../support/search-fixture.js';

let f: SearchFixture;

beforeAll(() => {
  f = searchFixture();
  f.put(
    {
      resourceType: 'Patient',
      id: 'anna',
      gender: 'female',
      active: true,
      birthDate: '1958-01-30',
      name: [{ family: 'Müller', given: ['Anna', 'Maria'] }],
      identifier: [
        {
          system: 'urn:nid',
          value: 'N-1',
          type: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }],
            text: 'National id',
          },
        },
      ],
      telecom: [{ system: 'phone', value: '+255 1' }],
      address: [{ city: 'Dodoma', country: 'TZ' }],
      generalPractitioner: [{ reference: 'Practitioner/doc' }],
    },
    {
      resourceType: 'Patient',
      id: 'bob',
      gender: 'male',
      birthDate: '1960-05',
      name: [{ family: 'Mohr', given: ['Bob'] }],
      identifier: [{ value: 'plain' }],
      generalPractitioner: [{ reference: 'http://other.org/fhir/Practitioner/doc2' }],
    },
    { resourceType: 'Patient', id: 'eve', name: [{ family: 'Mullerova' }], gender: 'female' },
    {
      resourceType: 'Observation',
      id: 'o1',
      status: 'final',
      code: {
        coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }],
        text: 'Weight',
      },
      subject: { reference: 'Patient/anna' },
      effectivePeriod: { start: '2024-03-01', end: '2024-03-10' },
      valueQuantity: { value: 72.5, system: 'http://unitsofmeasure.org', code: 'kg', unit: 'kg' },
    },
    {
      resourceType: 'Observation',
      id: 'o2',
      status: 'preliminary',
      code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }] },
      subject: { reference: 'Patient/bob', identifier: { system: 'urn:nid', value: 'N-2' } },
      effectiveDateTime: '2024-04-02T10:00:00Z',
      valueQuantity: { value: 180, system: 'http://unitsofmeasure.org', code: 'cm' },
    },
    { resourceType: 'RiskAssessment', id: 'r1', status: 'final', prediction: [{ probabilityDecimal: 0.25 }] },
    { resourceType: 'RiskAssessment', id: 'r2', status: 'final', prediction: [{ probabilityDecimal: 0.8 }] },
    { resourceType: 'ValueSet', id: 'vs1', status: 'active', url: 'http://example.org/fhir/ValueSet/a' },
    { resourceType: 'ValueSet', id: 'vs2', status: 'active', url: 'http://example.org/fhir/ValueSet/a/b' },
  );
});

const sorted = (ids: string[]) => [...ids].sort();

describe('string', () => {
  it('matches starts-with, ignoring case and accents', () => {
    expect(sorted(f.ids('Patient', 'family=muller'))).toEqual(['anna', 'eve']);
    expect(f.ids('Patient', 'given=MAR')).toEqual(['anna']);
    expect(f.ids('Patient', 'name=bo')).toEqual(['bob']);
    expect(f.ids('Patient', 'address-city=dod')).toEqual(['anna']);
  });
  it(':exact is case- and accent-sensitive and whole', () => {
    expect(f.ids('Patient', 'family:exact=Müller')).toEqual(['anna']);
    expect(f.ids('Patient', 'family:exact=Muller')).toEqual([]);
    expect(f.ids('Patient', 'family:exact=Mül')).toEqual([]);
  });
  it(':contains matches anywhere', () => {
    expect(sorted(f.ids('Patient', 'family:contains=ller'))).toEqual(['anna', 'eve']);
    expect(f.ids('Patient', 'family:contains=rov')).toEqual(['eve']);
  });
});

describe('token', () => {
  it('takes code, system|code, |code and system|', () => {
    expect(sorted(f.ids('Patient', 'gender=female'))).toEqual(['anna', 'eve']);
    expect(f.ids('Patient', 'identifier=urn:nid|N-1')).toEqual(['anna']);
    expect(f.ids('Patient', 'identifier=N-1')).toEqual(['anna']);
    expect(f.ids('Patient', 'identifier=|plain')).toEqual(['bob']);
    expect(f.ids('Patient', 'identifier=|N-1')).toEqual([]);
    expect(f.ids('Patient', 'identifier=urn:nid|')).toEqual(['anna']);
    expect(f.ids('Patient', 'active=true')).toEqual(['anna']);
    expect(f.ids('Patient', 'telecom=phone|%2B255 1')).toEqual(['anna']);
    expect(f.ids('Observation', 'code=http://loinc.org|29463-7')).toEqual(['o1']);
  });
  it(':not includes resources without a value', () => {
    expect(sorted(f.ids('Patient', 'gender:not=female'))).toEqual(['bob']);
    expect(sorted(f.ids('Patient', 'active:not=true'))).toEqual(['bob', 'eve']);
  });
  it(':text searches displays and texts', () => {
    expect(f.ids('Observation', 'code:text=weig')).toEqual(['o1']);
    expect(f.ids('Observation', 'code:text=body')).toEqual(['o1']);
    expect(f.ids('Patient', 'identifier:text=national')).toEqual(['anna']);
  });
  it(':of-type on identifiers', () => {
    expect(
      f.ids('Patient', 'identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|NI|N-1'),
    ).toEqual(['anna']);
    expect(
      f.ids('Patient', 'identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|MR|N-1'),
    ).toEqual([]);
  });
  it('_id', () => {
    expect(sorted(f.ids('Patient', '_id=anna,bob'))).toEqual(['anna', 'bob']);
  });
});

describe('reference', () => {
  it('takes Type/id, id alone, absolute URLs and a type modifier', () => {
    expect(f.ids('Observation', 'subject=Patient/anna')).toEqual(['o1']);
    expect(f.ids('Observation', 'subject=anna')).toEqual(['o1']);
    expect(f.ids('Observation', 'patient=anna')).toEqual(['o1']);
    expect(f.ids('Observation', 'subject:Patient=bob')).toEqual(['o2']);
    expect(f.ids('Observation', 'subject=http://any.org/fhir/Patient/anna')).toEqual(['o1']);
    expect(f.ids('Patient', 'general-practitioner=Practitioner/doc2')).toEqual(['bob']);
    expect(f.ids('Patient', 'general-practitioner=http://other.org/fhir/Practitioner/doc2')).toEqual(['bob']);
  });
  it(':identifier', () => {
    expect(f.ids('Observation', 'subject:identifier=urn:nid|N-2')).toEqual(['o2']);
    expect(f.ids('Observation', 'subject:identifier=urn:nid|N-1')).toEqual([]);
  });
  it('chains one level', () => {
    expect(f.ids('Observation', 'subject:Patient.name=mohr')).toEqual(['o2']);
    expect(f.ids('Observation', 'patient.gender=female')).toEqual(['o1']);
    expect(f.ids('Observation', 'subject:Patient.family:exact=Müller')).toEqual(['o1']);
  });
});

describe('date', () => {
  it('matches by precision with every prefix', () => {
    expect(f.ids('Patient', 'birthdate=1958')).toEqual(['anna']);
    expect(f.ids('Patient', 'birthdate=1958-01-30')).toEqual(['anna']);
    expect(f.ids('Patient', 'birthdate=1960-05-03')).toEqual([]); // the stored month is wider than the day
    expect(f.ids('Patient', 'birthdate=gt1959')).toEqual(['bob']);
    expect(f.ids('Patient', 'birthdate=lt1959')).toEqual(['anna']);
    expect(sorted(f.ids('Patient', 'birthdate=ge1958-01-30'))).toEqual(['anna', 'bob']);
    expect(f.ids('Patient', 'birthdate=le1958-01-30')).toEqual(['anna']);
    expect(f.ids('Patient', 'birthdate=ne1958')).toEqual(['bob']);
    expect(f.ids('Patient', 'birthdate=sa1958-12-31')).toEqual(['bob']);
    expect(f.ids('Patient', 'birthdate=eb1960')).toEqual(['anna']);
    // ap widens by 10% of the distance from now: about six years here
    expect(f.ids('Patient', 'birthdate=ap1958-01-30')).toContain('anna');
    expect(f.ids('Patient', 'birthdate=ap1900')).toEqual([]);
  });
  it('treats a Period as its range', () => {
    expect(f.ids('Observation', 'date=2024-03-05')).toEqual([]);
    expect(f.ids('Observation', 'date=2024-03')).toEqual(['o1']);
    expect(sorted(f.ids('Observation', 'date=ge2024-03-05'))).toEqual(['o1', 'o2']);
    expect(f.ids('Observation', 'date=2024-04-02T10:00:00Z')).toEqual(['o2']);
  });
  it('_lastUpdated: gt excludes the boundary, ge includes it', () => {
    const anna = f.storage.read('Patient', 'anna')!.lastUpdated;
    expect(f.ids('Patient', `_lastUpdated=ge${anna}`)).toContain('anna');
    expect(f.ids('Patient', `_lastUpdated=gt${anna}`)).not.toContain('anna');
    expect(f.ids('Patient', `_lastUpdated=le${anna}`)).toContain('anna');
    expect(f.ids('Patient', `_lastUpdated=lt${anna}`)).not.toContain('anna');
  });
});

describe('number, quantity, uri', () => {
  it('number with prefixes and implied precision', () => {
    expect(f.ids('RiskAssessment', 'probability=0.25')).toEqual(['r1']);
    expect(f.ids('RiskAssessment', 'probability=gt0.5')).toEqual(['r2']);
    expect(f.ids('RiskAssessment', 'probability=le0.25')).toEqual(['r1']);
    expect(f.ids('RiskAssessment', 'probability=0.3')).toEqual(['r1']);
  });
  it('quantity value|system|code', () => {
    expect(f.ids('Observation', 'value-quantity=72.5')).toEqual(['o1']);
    expect(f.ids('Observation', 'value-quantity=gt100|http://unitsofmeasure.org|cm')).toEqual(['o2']);
    expect(f.ids('Observation', 'value-quantity=gt50||kg')).toEqual(['o1']);
    expect(f.ids('Observation', 'value-quantity=72.5|http://unitsofmeasure.org|cm')).toEqual([]);
  });
  it('uri exact, :below, :above', () => {
    expect(f.ids('ValueSet', 'url=http://example.org/fhir/ValueSet/a')).toEqual(['vs1']);
    expect(sorted(f.ids('ValueSet', 'url:below=http://example.org/fhir/ValueSet/a'))).toEqual(['vs1', 'vs2']);
    expect(f.ids('ValueSet', 'url:above=http://example.org/fhir/ValueSet/a/b/c').sort()).toEqual([
      'vs1',
      'vs2',
    ]);
  });
});

describe('combining', () => {
  it('comma is OR, repetition is AND', () => {
    expect(sorted(f.ids('Patient', 'family=mohr,mullerova'))).toEqual(['bob', 'eve']);
    expect(f.ids('Patient', 'family=mul&gender=female&birthdate=1958')).toEqual(['anna']);
    expect(f.ids('Patient', 'family=mul&family=mullerova')).toEqual(['eve']);
    expect(f.ids('Patient', 'family=mohr&gender=female')).toEqual([]);
  });
  it(':missing for every type', () => {
    expect(f.ids('Patient', 'gender:missing=true')).toEqual([]);
    expect(f.ids('Patient', 'birthdate:missing=true')).toEqual(['eve']);
    expect(f.ids('Patient', 'family:missing=false').length).toBe(3);
    expect(f.ids('Patient', 'general-practitioner:missing=true')).toEqual(['eve']);
    expect(f.ids('RiskAssessment', 'probability:missing=false').length).toBe(2);
  });
  it('ignores empty values', () => {
    expect(f.ids('Patient', 'family=').length).toBe(3);
  });
});
