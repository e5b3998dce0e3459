import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { toJUnit } from '../../harness/runner/reporters/index.js';
import { cdata, escapeXmlAttribute, stripInvalidXml } from '../../harness/xml.js';
import { emptyRun, HOSTILE, infrastructureRun, mixedRun } from '../support/run-results.js';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseAttributeValue: false,
  parseTagValue: false,
  cdataPropName: '#cdata',
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

function parse(xml: string): Node {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Node;
}

function suitesOf(document: Node): Node[] {
  return ((document.testsuites as Node).testsuite as Node[] | undefined) ?? [];
}

function casesOf(suite: Node): Node[] {
  return (suite.testcase as Node[] | undefined) ?? [];
}

function propertiesOf(suite: Node): [string, string][] {
  const properties = ((suite.properties as Node).property as Node[] | undefined) ?? [];
  return properties.map((property) => [String(property['@name']), String(property['@value'])]);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(text).join('');
  if (typeof value === 'object' && value !== null) {
    const node = value as Node;
    return text(node['#cdata'] ?? node['#text'] ?? '');
  }
  return '';
}

describe('JUnit reporter', () => {
  const xml = toJUnit(mixedRun());
  const document = parse(xml);
  const suites = suitesOf(document);

  it('writes a testsuite per scenario with the right counts, and totals on <testsuites>', () => {
    expect(suites.map((suite) => suite['@name'])).toEqual([
      'rest-baseline',
      'validation',
      'subscriptions',
      'history',
      'batch',
      'cleanup',
    ]);
    const counts = suites.map((suite) => [
      suite['@tests'],
      suite['@failures'],
      suite['@errors'],
      suite['@skipped'],
    ]);
    expect(counts).toEqual([
      ['4', '0', '0', '0'],
      ['2', '1', '0', '0'],
      ['1', '0', '0', '1'],
      ['2', '0', '1', '1'],
      ['3', '0', '0', '1'],
      ['1', '0', '0', '0'],
    ]);
    const root = document.testsuites as Node;
    expect([root['@tests'], root['@failures'], root['@errors'], root['@skipped']]).toEqual([
      '13',
      '1',
      '1',
      '3',
    ]);
    expect(root['@time']).toBe('1.234');
    expect(suites[0]?.['@timestamp']).toBe('2025-03-01T10:00:00');
    expect(suites[0]?.['@time']).toBe('0.250');
  });

  it('records the run in properties', () => {
    const properties = propertiesOf(suites[0] as Node);
    expect(properties).toEqual(
      expect.arrayContaining([
        ['target', 'http://localhost:8080/fhir'],
        ['tool.name', 'openimis-fhir'],
        ['tool.version', '0.1.0'],
        ['ig', 'openimis.fhir.r4#1.0.0'],
        ['software', 'openimis-fhir reference server 0.1.0'],
        ['runId', 'r1a2b3'],
        ['warnings', '1'],
        ['warning', 'etag: expected header ETag, found none'],
        ['requirement', 'https://hl7.org/fhir/R4/http.html'],
      ]),
    );
  });

  it('names testcases by scenario and step, with failures, errors and skips apart', () => {
    const baseline = casesOf(suites[0] as Node);
    expect(baseline.map((testCase) => [testCase['@classname'], testCase['@name']])).toEqual([
      ['rest-baseline', 'setup/create-patient: Create a patient to read'],
      ['rest-baseline', 'read-patient: Server returns the patient it created'],
      ['rest-baseline', 'etag: Server sends an ETag'],
      ['rest-baseline', 'teardown/delete-patient: Delete the patient'],
    ]);
    expect(baseline[0]?.['@time']).toBe('0.015');
    // A warning passes, and says so in system-out.
    expect(baseline[2]?.failure).toBeUndefined();
    expect(text(baseline[2]?.['system-out'])).toContain('WARNING: expected header ETag, found none');

    const failed = casesOf(suites[1] as Node)[0] as Node;
    const failure = failed.failure as Node;
    expect(failure['@message']).toBe(
      'expected valid against http://example.org/StructureDefinition/p, found 2 errors: [STRUCT_REQUIRED] Patient.identifier: at least 1 required; [STRUCT_TYPE] Patient.birthDate: "x" is not a date',
    );
    expect(text(failure)).toContain('expected status 200, found 500');

    const errored = casesOf(suites[3] as Node)[0] as Node;
    const error = errored.error as Node;
    expect(error['@message']).toBe('request timed out after 30000 ms');
    expect(text(error)).toContain('GET http://localhost:8080/fhir/Patient/1/_history');
    expect(text(errored['system-out'])).toContain('no response: timed out after 30000 ms');

    const skipped = casesOf(suites[3] as Node)[1] as Node;
    expect((skipped.skipped as Node)['@message']).toBe('the target does not declare Patient:history-type');
  });

  it('gives a scenario skipped as a whole a skipped testcase with its reason', () => {
    const [only] = casesOf(suites[2] as Node);
    expect(only?.['@name']).toBe('(scenario): Scenario subscriptions');
    expect((only?.skipped as Node)['@message']).toBe('the target does not declare Subscription:create');
  });

  it('puts exchanges in system-out, hostile bodies intact as text, credentials masked', () => {
    const out = text(casesOf(suites[1] as Node)[0]?.['system-out']);
    expect(out).toContain('> GET http://localhost:8080/fhir/Patient/evil');
    expect(out).toContain('< 200 (3 ms)');
    expect(out).toContain(HOSTILE);
    // `]]>` survived the CDATA split; control characters are gone.
    expect(out).toContain(' ]]> and  control chars');
    const created = text(casesOf(suites[0] as Node)[0]?.['system-out']);
    expect(created).toContain('"family": "Doe"');
    expect(created).toContain('< 201 (12 ms)');
    expect(created).toContain('location: http://localhost:8080/fhir/Patient/1/_history/1');
    expect(xml).not.toContain('s3cr3t-token');
    expect(created).toContain('authorization: Bearer [redacted]');
  });

  it('escapes markup in names and attributes', () => {
    const history = casesOf(suites[3] as Node)[0] as Node;
    expect(history['@name']).toBe(
      'history-instance: Server returns the history <of> a "resource" & its versions',
    );
    expect(xml).toContain('&lt;of&gt; a &quot;resource&quot; &amp; its');
  });

  it('turns an infrastructure failure into one suite with one errored testcase', () => {
    const broken = parse(toJUnit(infrastructureRun()));
    const [suite, ...others] = suitesOf(broken);
    expect(others).toHaveLength(0);
    expect([suite?.['@name'], suite?.['@tests'], suite?.['@errors']]).toEqual(['infrastructure', '1', '1']);
    const error = casesOf(suite as Node)[0]?.error as Node;
    expect(error['@message']).toContain('ECONNREFUSED');
    expect((broken.testsuites as Node)['@errors']).toBe('1');
  });

  it('writes an empty <testsuites> for an empty run', () => {
    const empty = parse(toJUnit(emptyRun()));
    expect(suitesOf(empty)).toHaveLength(0);
    expect((empty.testsuites as Node)['@tests']).toBe('0');
  });

  it('keeps XML helpers safe on their own', () => {
    expect(stripInvalidXml('a\u0000b\u001fc\ud800d\uffffe\u{1F600}')).toBe('abcde\u{1F600}');
    expect(cdata('x]]>y]]>')).toBe('<![CDATA[x]]]]><![CDATA[>y]]]]><![CDATA[>]]>');
    expect(escapeXmlAttribute(`a\n"b'<&>`)).toBe('a&#10;&quot;b&apos;&lt;&amp;&gt;');
    const parsed = parse(`<r>${cdata('x]]>y')}</r>`);
    expect(text(parsed.r)).toBe('x]]>y');
  });
});
