import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_TYPES,
  fromXml,
  negotiateResponseFormat,
  requestBodyFormat,
  toXml,
  tryToXml,
} from '../../harness/server/formats.js';
import { igPaths } from '../../harness/paths.js';

describe('negotiateResponseFormat', () => {
  it.each([
    // [_format, Accept, expected]
    [undefined, undefined, 'json'],
    [undefined, '', 'json'],
    [undefined, '*/*', 'json'],
    [undefined, 'application/*', 'json'],
    [undefined, 'application/json', 'json'],
    [undefined, 'application/fhir+json', 'json'],
    [undefined, 'application/fhir+json; charset=utf-8', 'json'],
    [undefined, 'application/fhir+json; fhirVersion=4.0', 'json'],
    [undefined, 'Application/FHIR+JSON', 'json'],
    [undefined, 'application/json+fhir', 'json'],
    [undefined, 'application/xml', 'xml'],
    [undefined, 'application/fhir+xml', 'xml'],
    [undefined, 'text/xml', 'xml'],
    [undefined, 'text/*', 'xml'],
    [undefined, 'application/xml, */*', 'xml'],
    [undefined, 'application/fhir+xml, application/fhir+json', 'xml'],
    [undefined, 'application/fhir+json, application/fhir+xml', 'json'],
    [undefined, 'application/fhir+xml;q=0.5, application/fhir+json;q=0.9', 'json'],
    [undefined, 'application/fhir+json;q=0.1, application/fhir+xml', 'xml'],
    [undefined, '*/*, application/json;q=0', 'xml'],
    [undefined, 'text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8', 'xml'],
    [undefined, 'text/html, */*;q=0.1', 'json'],
    [undefined, 'garbage, application/json', 'json'],
    ['json', 'application/fhir+xml', 'json'],
    ['xml', 'application/fhir+json', 'xml'],
    ['xml', undefined, 'xml'],
    ['application/fhir+json', undefined, 'json'],
    ['application/fhir json', undefined, 'json'],
    ['application/fhir+xml', undefined, 'xml'],
    ['application/xml', 'text/html', 'xml'],
    ['text/xml', undefined, 'xml'],
    ['JSON', undefined, 'json'],
    ['application/fhir+json;fhirVersion=4.0', undefined, 'json'],
    ['', 'application/fhir+xml', 'xml'],
  ] as const)('_format=%s, Accept: %s → %s', (format, accept, expected) => {
    expect(negotiateResponseFormat(format, accept)).toBe(expected);
  });

  it.each([
    [undefined, 'text/html'],
    [undefined, 'application/pdf, image/*'],
    [undefined, 'application/fhir+json;q=0'],
    [undefined, 'application/json;q=0, application/xml;q=0, */*'], // */* only covers the others' types
    [undefined, 'application/fhir+json; fhirVersion=3.0'],
    [undefined, 'garbage'],
    ['html', 'application/fhir+json'],
    ['text/turtle', undefined],
    ['application/fhir+json;fhirVersion=5.0', undefined],
    ['*/*', undefined],
  ] as const)('_format=%s, Accept: %s → not acceptable', (format, accept) => {
    expect(negotiateResponseFormat(format, accept)).toEqual({ notAcceptable: expect.any(String) });
  });
});

describe('requestBodyFormat', () => {
  it.each([
    [undefined, 'json'],
    ['', 'json'],
    ['application/fhir+json', 'json'],
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/fhir+json;charset=UTF-8', 'json'],
    ['application/fhir+json; fhirVersion=4.0', 'json'],
    ['application/json+fhir', 'json'],
    ['application/fhir+xml', 'xml'],
    ['application/xml; charset="utf-8"', 'xml'],
    ['text/xml', 'xml'],
  ] as const)('Content-Type: %s → %s', (contentType, expected) => {
    expect(requestBodyFormat(contentType)).toBe(expected);
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json-patch+json',
    'multipart/form-data; boundary=x',
    'application/fhir+json; charset=iso-8859-1',
    'application/fhir+json; fhirVersion=3.0',
    'json',
    '*/*',
  ])('Content-Type: %s → unsupported', (contentType) => {
    expect(requestBodyFormat(contentType)).toEqual({ unsupported: expect.any(String) });
  });
});

describe('CONTENT_TYPES', () => {
  it('names the FHIR media types with UTF-8', () => {
    expect(CONTENT_TYPES).toEqual({
      json: 'application/fhir+json; charset=utf-8',
      xml: 'application/fhir+xml; charset=utf-8',
    });
  });
});

function example(name: string): object {
  return JSON.parse(readFileSync(join(igPaths().generatedResources, name), 'utf8')) as object;
}

describe('XML round trip', () => {
  it.each([
    'Patient-john-doe.json',
    'Claim-Claim001.json',
    'ClaimResponse-Claim001.json',
    'Contract-doe-family-policy.json',
  ])('%s survives JSON → XML → JSON unchanged', (name) => {
    const resource = example(name);
    const xml = toXml(resource);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><[A-Za-z]+ xmlns="http:\/\/hl7.org\/fhir">/,
    );
    expect(fromXml(xml)).toEqual({ ok: true, resource });
  });

  // StructureDefinitions are left out: their snapshots take FHIR.js ~0.5 s each and add no new shapes.
  it('holds for every other resource the IG generates', () => {
    const names = readdirSync(igPaths().generatedResources).filter(
      (name) => name.endsWith('.json') && !name.startsWith('StructureDefinition-'),
    );
    expect(names.length).toBeGreaterThan(100);
    const changed = names.filter((name) => {
      const resource = example(name);
      return !isDeepStrictEqual(fromXml(toXml(resource)), { ok: true, resource });
    });
    expect(changed).toEqual([]);
  });

  it('ignores a DOCTYPE mentioned inside a comment', () => {
    expect(fromXml('<!-- no <!DOCTYPE here --><Patient xmlns="http://hl7.org/fhir"/>')).toEqual({
      ok: true,
      resource: { resourceType: 'Patient' },
    });
  });

  it('keeps decimals as numbers, primitive extensions with nulls, narrative and contained resources', () => {
    const resource = {
      resourceType: 'Patient',
      id: 'p1',
      text: {
        status: 'generated',
        div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>A &amp; <b>B</b></p></div>',
      },
      contained: [{ resourceType: 'Organization', id: 'o1', name: 'Org & Co <1>' }],
      extension: [{ url: 'http://example.org/x', valueDecimal: 0.25 }],
      name: [
        {
          given: ['a', 'b'],
          _given: [null, { extension: [{ url: 'http://example.org/y', valueString: 'e' }] }],
        },
      ],
      managingOrganization: { reference: '#o1' },
    };
    expect(fromXml(toXml(resource))).toEqual({ ok: true, resource });
  });

  it('converts decimals inside Bundle entries', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'w' },
            valueQuantity: { value: 72.5 },
          },
        },
      ],
    };
    expect(fromXml(toXml(bundle))).toEqual({ ok: true, resource: bundle });
  });

  it('reads XML with a declaration, whitespace, comments and processing instructions', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<?xml-stylesheet href="x.xsl"?>
<Patient xmlns="http://hl7.org/fhir">
  <!-- a comment inside -->
  <id value="a"/>
  <active value="true"/>
  <name><family value="Doe &amp; Sons"/><given value="&#74;ohn"/></name>
</Patient>
`;
    expect(fromXml(xml)).toEqual({
      ok: true,
      resource: {
        resourceType: 'Patient',
        id: 'a',
        active: true,
        name: [{ family: 'Doe & Sons', given: ['John'] }],
      },
    });
  });

  it('never throws when writing, and says why through tryToXml', () => {
    expect(tryToXml({ resourceType: 'NoSuchType', id: 'x' })).toEqual({
      ok: false,
      message: expect.any(String),
    });
    expect(tryToXml({ id: 'x' })).toEqual({ ok: false, message: 'the object has no resourceType' });
    const xml = toXml({ resourceType: 'NoSuchType', id: 'x' });
    expect(xml).toContain('<OperationOutcome xmlns="http://hl7.org/fhir">');
    expect(xml).toContain('NoSuchType');
  });
});

describe('fromXml refuses', () => {
  const patient = (inner: string) => `<Patient xmlns="http://hl7.org/fhir">${inner}</Patient>`;

  it.each([
    ['an empty text', '', 'no element'],
    ['plain text', 'hello', 'no element'],
    ['JSON', '{"resourceType": "Patient"}', 'no element'],
    ['an unclosed element', patient('<id value="a">'), 'invalid FHIR XML'],
    ['mismatched tags', '<Patient xmlns="http://hl7.org/fhir"><id value="a"/></Patent>', 'invalid FHIR XML'],
    ['two roots', `${patient('')}${patient('')}`, 'Patient'],
    ['an unknown resource type', '<Foo xmlns="http://hl7.org/fhir"><id value="a"/></Foo>', 'Foo'],
    ['a root without the FHIR namespace', '<Patient><id value="a"/></Patient>', 'FHIR namespace'],
    [
      'a root in another namespace',
      '<Patient xmlns="http://example.org"><id value="a"/></Patient>',
      'FHIR namespace',
    ],
    ['an unknown element', patient('<id value="a"/><shoeSize value="42"/>'), '<shoeSize>'],
    ['a misplaced element', patient('<name><birthDate value="2000-01-01"/></name>'), '<birthDate>'],
    ['an empty value', patient('<id value=""/>'), '<id>'],
    ['a bad boolean', patient('<active value="yes"/>'), 'boolean'],
    [
      'a bad integer',
      '<Claim xmlns="http://hl7.org/fhir"><item><sequence value="1.5"/></item></Claim>',
      'number',
    ],
    [
      'a bad decimal',
      '<Observation xmlns="http://hl7.org/fhir"><valueQuantity><value value="[1]"/></valueQuantity></Observation>',
      'decimal',
    ],
    ['an undefined entity', patient('<name><family value="&nope;"/></name>'), 'entity'],
  ])('%s', (_label, xml, message) => {
    const result = fromXml(xml);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain(message);
      expect(result.message).not.toContain('\n');
    }
  });

  it.each([
    ['unclosed comments', '<!--'.repeat(100_000)],
    ['unclosed processing instructions', '<?'.repeat(100_000)],
    ['unclosed tags', '<a'.repeat(100_000)],
    ['a tag that never ends', `<Patient xmlns="http://hl7.org/fhir" ${'a '.repeat(100_000)}`],
  ])('%s, in linear time', (_label, xml) => {
    const started = performance.now();
    expect(fromXml(xml).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('deep nesting, without overflowing the stack', () => {
    const depth = 50_000;
    const xml = patient(`${'<extension url="u">'.repeat(depth)}${'</extension>'.repeat(depth)}`);
    expect(fromXml(xml).ok).toBe(false);
  });

  it('entity expansion (billion laughs), quickly', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Patient xmlns="http://hl7.org/fhir"><name><family value="&lol9;"/></name></Patient>`;
    const started = performance.now();
    const result = fromXml(lol);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('DOCTYPE') });
  });

  it('external entities (XXE), without reading the file', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE Patient [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Patient xmlns="http://hl7.org/fhir"><name><family value="&xxe;"/></name></Patient>`;
    const result = fromXml(xxe);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('DOCTYPE') });
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('an external DTD, in any case', () => {
    const xml = `<!doctype Patient SYSTEM "http://example.org/evil.dtd">${patient('<id value="a"/>')}`;
    expect(fromXml(xml)).toEqual({ ok: false, message: expect.stringContaining('DOCTYPE') });
  });

  it('a DOCTYPE after a comment', () => {
    const xml = `<!-- x --><!DOCTYPE p [<!ENTITY a "b">]>${patient('<id value="a"/>')}`;
    expect(fromXml(xml).ok).toBe(false);
  });
});
