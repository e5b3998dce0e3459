/**
 * FHIR XML read by the validator: the same issues as its JSON, each placed at the line and column of
 * the XML element it is about (or its nearest ancestor); XML that cannot be read is one fatal issue at
 * the place the parser stopped.
 */
import { describe, expect, it } from 'vitest';
import { igPaths } from '../../harness/paths.js';
import { locateInXml, xmlElementLocations } from '../../harness/fhir/xml-locations.js';
import { createValidator, type ValidationIssue } from '../../harness/validator/index.js';

const validator = createValidator({ igs: [igPaths().generatedResources] });

/** The 1-based line and column of the first occurrence of `needle`. */
function placeOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  expect(offset, needle).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

const PATIENT = `<?xml version="1.0" encoding="UTF-8"?>
<!-- <gender value="in a comment"/> -->
<Patient xmlns="http://hl7.org/fhir">
  <id value="x1"/>
  <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <b>there</b></p><div><name/></div></div></text>
  <name><family value="Doe"/></name>
  <name><given value="A"/><given value="B"/></name>
  <gender value="nope"/>
  <birthDate value="1980-02-30"/>
  <contained><Organization><id value="o"/><name value="x"/><telecom><system value="bad"/></telecom></Organization></contained>
</Patient>
`;

describe('FHIR XML', () => {
  const found = (text: string, id: string, expression: string): ValidationIssue => {
    const issue = validator
      .validateDetailed(text)
      .issues.find((item) => item.id === id && item.expression === expression);
    expect(issue, `${id} @ ${expression}`).toBeDefined();
    return issue as ValidationIssue;
  };

  it('issues at the XML element they are about', () => {
    expect(found(PATIENT, 'BIND_REQUIRED_NOT_IN_VS', 'Patient.gender').location).toEqual(
      placeOf(PATIENT, '<gender value="nope"'),
    );
    expect(found(PATIENT, 'TYPE_VALUE_INVALID', 'Patient.birthDate').location).toEqual(
      placeOf(PATIENT, '<birthDate'),
    );
    // inside a contained resource, at the element in it
    expect(
      found(PATIENT, 'BIND_REQUIRED_NOT_IN_VS', 'Patient.contained[0]/*Organization/o*/.telecom[0].system')
        .location,
    ).toEqual(placeOf(PATIENT, '<system value="bad"'));
  });

  it('the same issues as the JSON it stands for', () => {
    const json = {
      resourceType: 'Patient',
      id: 'x1',
      text: {
        status: 'generated',
        div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <b>there</b></p><div><name/></div></div>',
      },
      name: [{ family: 'Doe' }, { given: ['A', 'B'] }],
      gender: 'nope',
      birthDate: '1980-02-30',
      contained: [{ resourceType: 'Organization', id: 'o', name: 'x', telecom: [{ system: 'bad' }] }],
    };
    const keys = (input: string | object) =>
      validator
        .validateDetailed(input)
        .issues.map((item) => `${item.id} ${item.expression}`)
        .sort();
    expect(keys(PATIENT)).toEqual(keys(json));
    expect(validator.validateDetailed(PATIENT).identity).toBe('Patient/x1');
  });

  it('paths through repeats, choices and Bundle entries, the XHTML of a narrative skipped', () => {
    const places = xmlElementLocations(PATIENT);
    expect(locateInXml(places, 'Patient.name[1].given[1]')).toEqual(placeOf(PATIENT, '<given value="B"'));
    expect(locateInXml(places, 'Patient.name[0].family')).toEqual(placeOf(PATIENT, '<family'));
    // the <name/> inside the narrative's XHTML is not Patient.name[2]
    expect(locateInXml(places, 'Patient.name[2]')).toEqual(placeOf(PATIENT, '<Patient'));
    expect(locateInXml(places, 'Patient.name[1].given[1].extension[0]')).toEqual(
      placeOf(PATIENT, '<given value="B"'),
    );
    const bundle = `<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>
<entry><fullUrl value="urn:uuid:1"/><resource><Observation><status value="final"/>
<code><text value="t"/></code><valueQuantity><value value="1"/></valueQuantity></Observation></resource></entry>
</Bundle>`;
    expect(
      locateInXml(
        xmlElementLocations(bundle),
        'Bundle.entry[0].resource/*Observation/null*/.value.ofType(Quantity).unit',
      ),
    ).toEqual(placeOf(bundle, '<valueQuantity'));
  });

  it('XML that cannot be read: one fatal issue where the parser stopped', () => {
    const broken = '<Patient xmlns="http://hl7.org/fhir">\n  <gender value="male">\n</Patient>';
    const [only, ...rest] = validator.validateDetailed(broken).issues;
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ id: 'STRUCT_XML_SYNTAX', severity: 'fatal' });
    expect(only?.location?.line).toBe(3);
    const doctype = '<!DOCTYPE x [<!ENTITY a "b">]><Patient xmlns="http://hl7.org/fhir"/>';
    expect(validator.validateDetailed(doctype).issues[0]).toMatchObject({ id: 'STRUCT_XML_SYNTAX' });
    const unknown = '<Patient xmlns="http://hl7.org/fhir"><colour value="red"/></Patient>';
    expect(validator.validateDetailed(unknown).issues[0]?.text).toMatch(/colour/);
  });
});
