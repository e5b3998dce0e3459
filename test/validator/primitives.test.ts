import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCorePackage } from '../../harness/fhir/core-package.js';
import { fhirCachePaths } from '../../harness/paths.js';
import type { PrimitiveProblem } from '../../harness/validator/primitive-problems.js';
import {
  PRIMITIVE_TYPE_NAMES,
  R4_PRIMITIVE_JS_REGEX,
  R4_PRIMITIVE_REGEX,
  compileSpecRegex,
  isPrimitiveType,
  jsonTypeOf,
  type PrimitiveTypeName,
} from '../../harness/validator/primitive-types.js';
import { checkPrimitive, exceedsCommonDecimalRange } from '../../harness/validator/primitives.js';

function kinds(type: PrimitiveTypeName, value: unknown, numberText?: string): PrimitiveProblem['kind'][] {
  return checkPrimitive(type, value, numberText).map((p) => p.kind);
}

function expectValid(type: PrimitiveTypeName, values: unknown[]): void {
  for (const value of values)
    expect(checkPrimitive(type, value), `${type} ${JSON.stringify(value)}`).toEqual([]);
}

function expectKind(type: PrimitiveTypeName, kind: PrimitiveProblem['kind'], values: unknown[]): void {
  for (const value of values) expect(kinds(type, value), `${type} ${JSON.stringify(value)}`).toEqual([kind]);
}

describe('primitive type names and JSON types', () => {
  it('knows the 20 R4 primitive types and nothing else', () => {
    expect(PRIMITIVE_TYPE_NAMES).toHaveLength(20);
    for (const name of PRIMITIVE_TYPE_NAMES) expect(isPrimitiveType(name)).toBe(true);
    for (const name of ['Boolean', 'integer64', 'Quantity', '', 'string '])
      expect(isPrimitiveType(name)).toBe(false);
  });

  it('maps each type to its JSON type', () => {
    expect(jsonTypeOf('boolean')).toBe('boolean');
    for (const t of ['integer', 'unsignedInt', 'positiveInt', 'decimal'] as const)
      expect(jsonTypeOf(t)).toBe('number');
    for (const t of ['string', 'date', 'code', 'uri', 'base64Binary', 'xhtml'] as const)
      expect(jsonTypeOf(t)).toBe('string');
  });

  it('reports a value of the wrong JSON type, with what it found', () => {
    expectKind('boolean', 'json-type', ['true', 1, null, {}, []]);
    expectKind('integer', 'json-type', ['1', true, null]);
    expectKind('decimal', 'json-type', ['1.5', [1.5]]);
    expectKind('string', 'json-type', [42, false, { value: 'x' }]);
    expectKind('date', 'json-type', [20230101]);
    expect(checkPrimitive('boolean', 'true')[0]?.message).toBe(
      "A boolean must be a JSON boolean (true or false), but found the string 'true'",
    );
  });
});

describe('the hard-coded R4 regexes', () => {
  const packageDir = () => ensureCorePackage(fhirCachePaths().packages).dir;
  let dir: string;
  beforeAll(() => {
    dir = packageDir();
  });

  function regexInPackage(type: string): string | undefined {
    const sd = JSON.parse(readFileSync(join(dir, 'package', `StructureDefinition-${type}.json`), 'utf8')) as {
      snapshot: { element: { path: string; extension?: Ext[]; type?: { extension?: Ext[] }[] }[] };
    };
    type Ext = { url: string; valueString?: string };
    const isRegex = (e: Ext) => e.url === 'http://hl7.org/fhir/StructureDefinition/regex';
    // As HL7 reads it: on the value element itself first, then on its types.
    for (const element of sd.snapshot.element) {
      if (!element.path.endsWith('.value')) continue;
      const own = element.extension?.find(isRegex)?.valueString;
      if (own !== undefined) return own;
      for (const t of element.type ?? []) {
        const onType = t.extension?.find(isRegex)?.valueString;
        if (onType !== undefined) return onType;
      }
    }
    return undefined;
  }

  it('equal the regex extension of each primitive StructureDefinition in hl7.fhir.r4.core#4.0.1', () => {
    for (const type of PRIMITIVE_TYPE_NAMES) {
      const expected = regexInPackage(type);
      if (type === 'xhtml') expect(expected).toBeUndefined();
      else expect(R4_PRIMITIVE_REGEX[type], type).toBe(expected);
    }
  });

  it('keep Java meaning in JavaScript: \\s and \\S are ASCII whitespace only', () => {
    expect(R4_PRIMITIVE_JS_REGEX.string.test('a\u00a0b')).toBe(true); // Java \S matches a no-break space
    expect(R4_PRIMITIVE_JS_REGEX.string.test('a\fb')).toBe(false);
    expect(R4_PRIMITIVE_JS_REGEX.uri.test('http://x/\u00a0')).toBe(true);
    expect(R4_PRIMITIVE_JS_REGEX.uri.test('http://x/ y')).toBe(false);
    expect(R4_PRIMITIVE_JS_REGEX.code.test('a\u2003b')).toBe(true);
    expect(compileSpecRegex('[\\s\\S]').test('\u000b')).toBe(true);
    expect(() => compileSpecRegex('[^\\S]')).toThrow();
  });

  it('agree with the hand-written base64Binary scanner on short inputs', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+/= \n]{0,14}$/), (s) => {
        const regexSays = R4_PRIMITIVE_JS_REGEX.base64Binary.test(s);
        const problems = checkPrimitive('base64Binary', s);
        // The scanner is the regex plus HL7's padding rule ('=' only at the end, at most two).
        const paddingOk = /^[^=]*={0,2}\s*$/.test(s);
        const scannerSays = problems.every((p) => p.kind === 'whitespace');
        if (!s) return;
        expect(scannerSays).toBe(regexSays && paddingOk && s.replace(/\s/g, '').length % 4 === 0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('boolean', () => {
  it('accepts true and false only', () => {
    expectValid('boolean', [true, false]);
    expectKind('boolean', 'json-type', ['false', 0, 1, 'yes', null, undefined]);
  });
});

describe('integer, unsignedInt, positiveInt', () => {
  it('accept whole numbers in range', () => {
    expectValid('integer', [0, -0, 1, -1, 2147483647, -2147483648]);
    expectValid('unsignedInt', [0, 1, 2147483647]);
    expectValid('positiveInt', [1, 2, 2147483647]);
    expect(checkPrimitive('integer', -0, '-0')).toEqual([]);
  });

  it('reject values outside the 32-bit range and below the minimum', () => {
    expect(checkPrimitive('integer', 2147483648)).toEqual([
      { kind: 'range', message: 'Integer 2147483648 is outside the range -2147483648 to 2147483647' },
    ]);
    expectKind('integer', 'range', [-2147483649, 1e15]);
    expectKind('unsignedInt', 'range', [-1, 2147483648]);
    expectKind('positiveInt', 'range', [0, -5, 2147483648]);
  });

  it('reject a fraction or exponent as written, and leading zeros', () => {
    expect(kinds('integer', 1, '1.0')).toEqual(['format']);
    expect(kinds('integer', 100, '1e2')).toEqual(['format']);
    expect(kinds('integer', 1.5)).toEqual(['format']);
    expect(kinds('integer', 1, '01')).toEqual(['format']);
    expect(kinds('unsignedInt', 0, '-0')).toEqual(['format']);
    expect(kinds('positiveInt', 7, '007')).toEqual(['format']);
    expect(kinds('integer', Number.NaN)).toEqual(['format']);
    expect(kinds('integer', Number.POSITIVE_INFINITY)).toEqual(['format']);
    expect(checkPrimitive('integer', 1, '1.0')[0]?.message).toContain("'1.0' is not a valid integer");
  });
});

describe('decimal', () => {
  it('accepts the R4 decimal forms, exponent included', () => {
    expectValid('decimal', [0, 1, -1, 1.5, 0.001, 1e21, 1e-7]);
    for (const text of ['1.0', '0.0', '-0', '-0.5', '1e3', '1.50E-10', '12345678901234567890.5']) {
      expect(checkPrimitive('decimal', Number(text), text), text).toEqual([]);
    }
  });

  it('rejects leading zeros, bare points and a plus sign as written', () => {
    for (const text of ['01', '-01.5', '00', '1.', '.5', '+1', '1.e5', '1e']) {
      expect(kinds('decimal', Number(text) || 0, text), text).toEqual(['format']);
    }
    expect(checkPrimitive('decimal', 1, '01')[0]?.message).toBe(
      "The value '01' is not a valid decimal: leading zeros are not allowed",
    );
    expect(kinds('decimal', Number.NaN)).toEqual(['format']);
  });

  it('tells when a decimal is beyond what implementations commonly hold (HL7 warning, not a problem)', () => {
    // HL7's own example of TYPE_SPECIFIC_CHECKS_DT_DECIMAL_RANGE: 19 digits.
    expect(exceedsCommonDecimalRange('0.005008015591556614')).toBe(true);
    expect(exceedsCommonDecimalRange('0.00500801559155661')).toBe(false);
    expect(exceedsCommonDecimalRange('1.0000000000000000001')).toBe(true);
    expect(exceedsCommonDecimalRange('1e12345')).toBe(true);
    expect(exceedsCommonDecimalRange('123.45')).toBe(false);
  });
});

describe('string and markdown', () => {
  it('accept ordinary text, inner whitespace and any Unicode', () => {
    expectValid('string', ['a', 'hello world', 'line\nbreak', 'tab\tinside', 'é ☃ 𝄞', 'a\u00a0b']);
    expectValid('markdown', ['# Title\n\nSome *text*  \n', ' leading space is fine in markdown', '\n']);
  });

  it('reject the empty string', () => {
    expectKind('string', 'empty', ['']);
    expectKind('markdown', 'empty', ['']);
  });

  it('report leading, trailing and all-whitespace strings as whitespace (HL7: a warning)', () => {
    expectKind('string', 'whitespace', [' a', 'a ', '\ta', 'a\n', '   ', '\u00a0x']);
    expect(checkPrimitive('string', '  ')[0]?.message).toBe('The string is only whitespace');
  });

  it('reject strings longer than 1 MB', () => {
    expectValid('string', ['x'.repeat(1_048_576)]);
    expect(kinds('string', 'x'.repeat(1_048_577))).toEqual(['length']);
    expect(kinds('markdown', 'x'.repeat(1_048_577))).toEqual([]); // HL7 checks the limit on string only
  });

  it('reject the characters the regex leaves out (vertical tab, form feed)', () => {
    expectKind('string', 'format', ['a\u000bb', 'a\fb']);
    expectKind('markdown', 'format', ['a\u000bb']);
  });
});

describe('code', () => {
  it('accepts tokens separated by single spaces', () => {
    expectValid('code', ['final', 'in-progress', 'a b c', 'mg/dL', 'ÄÖ', '1']);
  });

  it('rejects empty, leading, trailing and repeated whitespace, and tabs or newlines', () => {
    expectKind('code', 'empty', ['']);
    expectKind('code', 'format', [' final', 'final ', 'a  b', 'a\tb', 'a\nb', ' ']);
  });
});

describe('id', () => {
  it('accepts 1 to 64 letters, digits, - and .', () => {
    expectValid('id', ['a', 'Patient-1', 'a.b.c', '123', 'x'.repeat(64), 'ABC-def.09']);
  });

  it('rejects other characters, and more than 64 characters', () => {
    expectKind('id', 'format', ['org_1', 'a b', 'a/b', 'é', 'x'.repeat(65) + '_']);
    expectKind('id', 'length', ['1'.repeat(65)]);
    expectKind('id', 'empty', ['']);
  });
});

describe('uri, url, canonical', () => {
  it('accept absolute and relative references without whitespace', () => {
    expectValid('uri', [
      'http://example.org/fhir',
      'urn:ietf:rfc:3986',
      'Patient/123',
      '#p1',
      'urn:oid:2.16.840.1.113883',
      'urn:uuid:f3b2bd36-199b-4591-b4db-f49db0912b6a',
    ]);
    expectValid('url', ['https://example.org/a?b=c', 'mailto:someone@example.org', 'http://x/\u00e9']);
    expectValid('canonical', [
      'http://hl7.org/fhir/ValueSet/x|4.0.1',
      '#contained',
      'urn:uuid:f3b2bd36-199b-4591-b4db-f49db0912b6a|1',
    ]);
  });

  it('reject whitespace anywhere', () => {
    expectKind('uri', 'format', ['http://example.org/a b', ' http://x', 'http://x\n', 'http://x\u00a0']);
    expectKind('url', 'format', ['http://x/\ty']);
  });

  it('reject oid: and uuid: prefixes, bad or uppercase UUIDs and malformed OIDs', () => {
    expectKind('uri', 'format', [
      'oid:1.2.3.4',
      'uuid:f3b2bd36-199b-4591-b4db-f49db0912b6a',
      'urn:uuid:F3B2BD36-199B-4591-B4DB-F49DB0912B6A',
      'urn:uuid:f3b2bd36-199b-4591-b4db-f49db0912b6',
      'urn:oid:1.02.3.4.5',
      'urn:oid:1.2.3', // HL7: too short a root to be a real namespace
    ]);
    expect(checkPrimitive('uri', 'urn:uuid:6a2ee390-978e-42c6-8f88-c17dff3bd8a')[0]?.message).toContain(
      'UUIDs must be valid and lowercase (6a2ee390-978e-42c6-8f88-c17dff3bd8a)',
    );
  });

  it('require a canonical to be absolute or local', () => {
    expectKind('canonical', 'format', ['ValueSet/x', 'HTTP://example.org', 'http:', 'x y:z']);
    expectKind('canonical', 'empty', ['']);
  });
});

describe('oid and uuid', () => {
  it('accept urn:oid: and lowercase urn:uuid: values', () => {
    expectValid('oid', ['urn:oid:2.16.840.1.113883.3.1', 'urn:oid:1.3.6', 'urn:oid:0.1.2.3.4.5']);
    expectValid('uuid', [
      'urn:uuid:c757873d-ec9a-4326-a141-556f43239520',
      'urn:uuid:00000000-0000-0000-0000-000000000000',
    ]);
  });

  it('reject other forms', () => {
    expectKind('oid', 'format', [
      '2.16.840.1',
      'urn:oid:3.1.2.3.4',
      'urn:oid:2.16.',
      'urn:oid:2.016.840',
      'http://x',
    ]);
    expectKind('uuid', 'format', [
      'c757873d-ec9a-4326-a141-556f43239520',
      'urn:uuid:C757873D-EC9A-4326-A141-556F43239520',
      'urn:uuid:c757873d-ec9a-4326-a141-556f4323952',
      'urn:uuid:c757873d-ec9a-4326-a141-556f43239520#x',
    ]);
  });
});

describe('base64Binary', () => {
  it('accepts padded base64', () => {
    expectValid('base64Binary', ['AAAA', 'aGVsbG8=', 'aGk=', 'SGVsbG8gV29ybGQh', 'a+/9', 'AA==']);
  });

  it('reports whitespace between groups of four as whitespace (HL7 R4: a warning)', () => {
    expectKind('base64Binary', 'whitespace', ['AAAA AAAA', 'AAAA\nAAAA', ' AAAA', 'AAAA\r\n']);
  });

  it('rejects bad characters, bad length, misplaced padding and whitespace inside a group', () => {
    expectKind('base64Binary', 'format', [
      'AAA',
      'AA-A',
      'A=AA',
      'AAAA=',
      'AA AA',
      '====',
      'aGk=aGk=',
      '   ',
    ]);
    expectKind('base64Binary', 'empty', ['']);
  });
});

describe('date', () => {
  it('accepts year, year-month and full dates that exist', () => {
    expectValid('date', ['2023', '2023-02', '2023-02-28', '2024-02-29', '2000-02-29', '0001-01-01']);
  });

  it('rejects days that do not exist, with the reason', () => {
    expect(checkPrimitive('date', '2023-02-30')).toEqual([
      { kind: 'format', message: "The value '2023-02-30' is not a valid date: February 2023 has 28 days" },
    ]);
    expectKind('date', 'format', ['2023-02-29', '1900-02-29', '2023-04-31', '2023-06-31']);
  });

  it('rejects other shapes', () => {
    expectKind('date', 'format', [
      '23-01-01',
      '2023-1-1',
      '2023-13',
      '2023-00',
      '0000',
      '2023-01-01T10:00:00Z',
      '2023/01/01',
    ]);
  });
});

describe('dateTime', () => {
  it('accepts partial dates and full times with a zone', () => {
    expectValid('dateTime', [
      '2023',
      '2023-05',
      '2023-05-01',
      '2023-05-01T10:00:00Z',
      '2023-05-01T10:00:00.123+02:00',
      '2016-12-31T23:59:60-14:00',
      '2024-02-29T00:00:00+14:00',
    ]);
  });

  it('requires a time zone when a time is given', () => {
    expect(checkPrimitive('dateTime', '2020-11-11T10:58:14.768528')).toEqual([
      {
        kind: 'format',
        message:
          "The value '2020-11-11T10:58:14.768528' is not a valid dateTime: it has a time but no time zone (if hours and minutes are given, a time zone SHALL be given)",
      },
    ]);
    expectKind('dateTime', 'format', ['2023-05-01T10:00:00']);
  });

  it('rejects impossible days and times', () => {
    expectKind('dateTime', 'format', [
      '2023-02-30T10:00:00Z',
      '2023-05-01T24:00:00Z',
      '2023-05-01T10:00Z',
      '2023-05-01T10:00:00+15:00',
      '2023-05-01T',
      '2023-05-01 10:00:00Z',
    ]);
    expect(checkPrimitive('dateTime', '2023-02-30T10:00:00Z')[0]?.message).toContain(
      'February 2023 has 28 days',
    );
  });
});

describe('instant', () => {
  it('accepts full timestamps with seconds and zone', () => {
    expectValid('instant', [
      '2023-05-01T10:00:00Z',
      '2023-05-01T10:00:00.000+01:00',
      '2024-02-29T23:59:59.999-05:00',
      '1999-12-31T00:00:00+00:00',
      '2015-02-07T13:28:17.239+02:00',
      '2023-05-01T10:00:60Z',
    ]);
  });

  it('rejects partial, zone-less and impossible timestamps', () => {
    expectKind('instant', 'format', [
      '2023-05-01',
      '2023-05-01T10:00Z',
      '2023-05-01T10:00:00',
      '2023-02-29T10:00:00Z',
      '2023-05-01T24:00:00Z',
      '2023',
    ]);
  });
});

describe('time', () => {
  it('accepts times of day, with a fraction as R4 allows', () => {
    expectValid('time', ['00:00:00', '23:59:59', '12:30:00', '10:00:00.5', '23:59:60', '07:05:09.123']);
  });

  it('rejects 24:00:00, missing seconds and zones', () => {
    expectKind('time', 'format', ['24:00:00', '10:00', '10:00:00Z', '1:00:00', '10:60:00', '10:00:00+01:00']);
  });
});

describe('xhtml', () => {
  it('accepts a balanced <div> element', () => {
    expectValid('xhtml', [
      '<div xmlns="http://www.w3.org/1999/xhtml">Hello</div>',
      '<div><p>a <b>b</b></p><br/></div>',
      '<div/>',
      '  <div title="a > b">x</div>\n',
      '<div><!-- a <comment> --></div>',
      '<div>1 &lt; 2</div>',
    ]);
  });

  it('rejects anything that is not one balanced <div> element', () => {
    expectKind('xhtml', 'format', [
      '<p>x</p>',
      'text',
      '<div><p>x</div>',
      '<div>x</div><div>y</div>',
      '<div>1 < 2</div>',
      '<div',
      '<divx>y</divx>',
      '<div><br></div>',
    ]);
    expectKind('xhtml', 'empty', ['']);
  });
});

describe('checkPrimitive on arbitrary input', () => {
  it('never throws, and always returns well-formed problems', () => {
    for (const type of PRIMITIVE_TYPE_NAMES) {
      fc.assert(
        fc.property(fc.anything(), fc.option(fc.string(), { nil: undefined }), (value, numberText) => {
          const problems = checkPrimitive(type, value, numberText);
          expect(Array.isArray(problems)).toBe(true);
          for (const p of problems) expect(typeof p.message).toBe('string');
        }),
        { numRuns: 2000 },
      );
    }
  });

  it('never throws on arbitrary strings for the string-typed primitives', () => {
    for (const type of PRIMITIVE_TYPE_NAMES.filter((t) => jsonTypeOf(t) === 'string')) {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (value) => {
          checkPrimitive(type, value);
        }),
        { numRuns: 500 },
      );
    }
  });

  it('returns the same frozen empty array for every valid value', () => {
    const a = checkPrimitive('string', 'a');
    expect(a).toBe(checkPrimitive('date', '2023-01-01'));
    expect(Object.isFrozen(a)).toBe(true);
  });
});
