import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseJsonSource,
  type JsonValue,
  type ParsedJson,
  type ParseResult,
} from '../../harness/validator/json-source.js';

const TEST_CASES = '/work/shared/fhir-test-cases/validator';

function parsed(text: string): ParsedJson {
  const result = parseJsonSource(text);
  if (!result.ok) throw new Error(`expected valid JSON, got: ${result.error.message}`);
  return result.json;
}

function failure(text: string, options?: { maxDepth?: number }) {
  let result: ParseResult | undefined;
  expect(() => (result = parseJsonSource(text, options))).not.toThrow();
  if (result === undefined || result.ok)
    throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
  return result.error;
}

/** Deep equality that ignores prototypes (parsed objects have none to speak of) but not key order. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(copy, key, {
        value: plain((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

describe('parseJsonSource: values', () => {
  const files = readdirSync(TEST_CASES).filter((f) => f.endsWith('.json'));

  it.each(files)('%s parses to the same value as JSON.parse', (file) => {
    const text = readFileSync(join(TEST_CASES, file), 'utf8');
    // JSON.parse refuses a BOM; the parser skips it, so compare without it.
    const expected = JSON.parse(text.replace(/^\uFEFF/, ''));
    const actual = parsed(text).value;
    expect(plain(actual)).toStrictEqual(plain(expected));
    expect(Object.keys(actual as object)).toEqual(Object.keys(expected));
  });

  it('parses every scalar form like JSON.parse', () => {
    const samples = [
      '0',
      '-0',
      '1.5e-7',
      '1E+300',
      '123456789012345678901234567890',
      '-9007199254740993',
      '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"',
      '"\\ud800 lone surrogate escape"',
      '"raw \ud800 lone surrogate"',
      '"héllo 😀"',
      'true',
      'false',
      'null',
      ' \t\r\n[1, {"a": [ ]}, {}, "x"] \n',
    ];
    for (const text of samples) {
      expect(plain(parsed(text).value)).toStrictEqual(JSON.parse(text));
    }
    expect(Object.is(parsed('-0').value, -0)).toBe(true);
  });
});

describe('parseJsonSource: syntax errors', () => {
  const cases: [string, string, string, number, number][] = [
    // [name, text, message fragment, line, column]
    ['empty text', '', 'Unexpected end of input at line 1, column 1: expected a JSON value', 1, 1],
    ['only whitespace', '  \n ', 'Unexpected end of input', 2, 2],
    ['truncated object', '{"a": 1', "expected ',' or '}'", 1, 8],
    ['truncated after a comma', '{"a": [1,', 'expected a JSON value', 1, 10],
    ['unterminated string', '{"a": "abc', "expected '\"' to close the string", 1, 11],
    ['unterminated escaped string', '"a\\nb', 'to close the string', 1, 6],
    ['trailing comma in an object', '{\n  "a": 1,\n}', 'trailing commas are not allowed', 3, 1],
    ['trailing comma in an array', '[1, 2, ]', 'trailing commas are not allowed', 1, 8],
    ['line comment', '{\n  // note\n  "a": 1\n}', 'comments are not allowed', 2, 3],
    ['block comment', '[1 /* x */]', 'comments are not allowed', 1, 4],
    ['NaN', '{"a": NaN}', 'NaN and Infinity are not JSON numbers', 1, 7],
    ['Infinity', '[Infinity]', 'NaN and Infinity', 1, 2],
    ['-Infinity', '[-Infinity]', 'expected a digit', 1, 3],
    ['leading zero', '[01]', 'no leading zero', 1, 3],
    ['dot without fraction', '[1.]', "a digit after the '.'", 1, 4],
    ['fraction without integer', '[.5]', 'expected a JSON value', 1, 2],
    ['exponent without digits', '[1e]', 'a digit in the exponent', 1, 4],
    ['plus sign', '[+1]', 'expected a JSON value', 1, 2],
    ['control character in a string', '{"a": "x\ty"}', "Unexpected character '\\u0009'", 1, 9],
    ['newline in a string', '"a\nb"', 'no control character', 1, 3],
    ['invalid escape', '"a\\xb"', 'expected an escape', 1, 4],
    ['short unicode escape', '"\\u12"', 'hexadecimal digit', 1, 6],
    ['single quotes', "{'a': 1}", 'expected a property name', 1, 2],
    [
      'unquoted key',
      '{a: 1}',
      "Unexpected character 'a' at line 1, column 2: expected a property name",
      1,
      2,
    ],
    ['missing colon', '{"a" 1}', "expected ':' after the property name", 1, 6],
    ['missing comma', '[1 2]', "expected ',' or ']'", 1, 4],
    ['two roots', '{} {}', 'expected the end of the input', 1, 4],
    ['bad literal', '[tru]', "expected 'true'", 1, 5],
    ['capitalised literal', '[True]', 'expected a JSON value', 1, 2],
    ['unexpected brace', '{\n  "a": 1,\n  "b": 2\n  }}', 'expected the end of the input', 4, 4],
    ['non-breaking space as whitespace', '[1,\u00a02]', 'expected a JSON value', 1, 4],
  ];

  it.each(cases)('%s is an error with a location', (_name, text, fragment, line, column) => {
    const error = failure(text);
    expect(error.message).toContain(fragment);
    expect(error.location).toEqual({ line, column });
    expect(error.message).toContain(`at line ${line}, column ${column}`);
  });

  it('phrases the message as: unexpected character, where, what was expected', () => {
    expect(failure('{\n  "a": 1,\n  }').message).toBe(
      "Unexpected character '}' (trailing commas are not allowed in JSON) at line 3, column 3: expected a property name",
    );
    expect(failure('{\n  "a": 1\n    }]').message).toBe(
      "Unexpected character ']' at line 3, column 6: expected the end of the input",
    );
  });

  it('never throws on arbitrary prefixes of a valid resource', () => {
    const text = readFileSync(join(TEST_CASES, 'obs-vs-1.json'), 'utf8');
    for (let end = 0; end < text.length; end++) {
      const result = parseJsonSource(text.slice(0, end));
      // Some prefixes are themselves valid JSON only when the cut leaves a complete value.
      if (!result.ok) expect(result.error.location.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('parseJsonSource: depth limit', () => {
  it('accepts nesting up to maxDepth and refuses one level more', () => {
    expect(parseJsonSource('['.repeat(1000) + ']'.repeat(1000)).ok).toBe(true);
    const error = failure('['.repeat(1001) + ']'.repeat(1001));
    expect(error.message).toContain('Nesting too deep at line 1, column 1001: more than 1000 levels');
    expect(failure('{"a":'.repeat(4) + '1' + '}'.repeat(4), { maxDepth: 3 }).location).toEqual({
      line: 1,
      column: 16,
    });
  });

  it('returns an error quickly for 100,000 levels of arrays and of objects', () => {
    const started = Date.now();
    expect(failure('['.repeat(100_000) + ']'.repeat(100_000)).message).toContain('Nesting too deep');
    expect(failure('{"a":'.repeat(100_000) + 'null' + '}'.repeat(100_000)).message).toContain(
      'Nesting too deep',
    );
    expect(failure('['.repeat(100_000)).message).toContain('Nesting too deep');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('turns a stack overflow into an error when maxDepth is set too high', () => {
    const error = failure('['.repeat(1_000_000), { maxDepth: Infinity });
    expect(error.message).toContain('Nesting too deep');
  });
});

describe('parseJsonSource: locations', () => {
  const text = [
    '{',
    '  "resourceType": "Patient",',
    '  "name": [',
    '    {',
    '      "family": "Chalmers",',
    '      "given": ["Peter", "James"]',
    '    },',
    '    { "family": "Windsor" }',
    '  ],',
    '  "active": true',
    '}',
  ].join('\n');
  const json = parsed(text);

  it('locates the root value, properties (at the key), array items and nested values', () => {
    expect(json.locate([])).toEqual({ line: 1, column: 1 });
    expect(json.locate(['resourceType'])).toEqual({ line: 2, column: 3 });
    expect(json.locate(['name'])).toEqual({ line: 3, column: 3 });
    expect(json.locate(['name', 0])).toEqual({ line: 4, column: 5 });
    expect(json.locate(['name', 0, 'family'])).toEqual({ line: 5, column: 7 });
    expect(json.locate(['name', 0, 'given', 1])).toEqual({ line: 6, column: 26 });
    expect(json.locate(['name', 1])).toEqual({ line: 8, column: 5 });
    expect(json.locate(['name', 1, 'family'])).toEqual({ line: 8, column: 7 });
    expect(json.locate(['active'])).toEqual({ line: 10, column: 3 });
  });

  it('is undefined for paths that do not exist', () => {
    expect(json.locate(['missing'])).toBeUndefined();
    expect(json.locate(['name', 2])).toBeUndefined();
    expect(json.locate(['name', '0'])).toBeUndefined();
    expect(json.locate(['name', -1])).toBeUndefined();
    expect(json.locate(['resourceType', 'x'])).toBeUndefined();
    expect(json.locate(['toString'])).toBeUndefined();
    expect(json.locate(['__proto__'])).toBeUndefined();
  });

  it('counts CRLF and lone CR as one line break, and columns in UTF-16 code units', () => {
    const crlf = parsed('{\r\n  "a": 1,\r\n  "b": 2\r\n}');
    expect(crlf.locate(['b'])).toEqual({ line: 3, column: 3 });
    const cr = parsed('{\r  "a": 1,\r  "b": 2\r}');
    expect(cr.locate(['b'])).toEqual({ line: 3, column: 3 });
    const wide = parsed('{"😀": "é😀", "x": 1}');
    // '😀' is two code units: { " 😀 " : _ " é 😀 " , _ puts the key "x" at column 15.
    expect(wide.locate(['x'])).toEqual({ line: 1, column: 15 });
  });

  it('finds keys written with escapes', () => {
    const escaped = parsed('{"a\\u0062": 1, "c": {"\\"q\\"": 2}}');
    expect(escaped.locate(['ab'])).toEqual({ line: 1, column: 2 });
    expect(escaped.locate(['c', '"q"'])).toEqual({ line: 1, column: 22 });
  });

  it('skips a leading BOM; line 1, column 1 is the first character after it', () => {
    const withBom = parseJsonSource('\uFEFF{\n  "a": [1]\n}');
    expect(withBom.ok).toBe(true);
    if (!withBom.ok) return;
    expect(withBom.json.value).toEqual({ a: [1] });
    expect(withBom.json.locate([])).toEqual({ line: 1, column: 1 });
    expect(withBom.json.locate(['a', 0])).toEqual({ line: 2, column: 9 });
    expect(failure('\uFEFF{,}').location).toEqual({ line: 1, column: 2 });
    // Only one BOM, and only at the start.
    expect(failure('\uFEFF\uFEFF{}').message).toContain("'\\uFEFF'");
    expect(failure('{} \uFEFF').location).toEqual({ line: 1, column: 4 });
  });
});

describe('parseJsonSource: hostile keys', () => {
  it('keeps __proto__, constructor and prototype as ordinary own properties', () => {
    const json = parsed(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}, "prototype": [2]}',
    );
    const value = json.value as Record<string, JsonValue>;
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')).toMatchObject({
      enumerable: true,
      value: { polluted: true },
    });
    expect(value['constructor']).toEqual({ prototype: 1 });
    expect(value['prototype']).toEqual([2]);
    // The object's own prototype was not replaced, and nothing global changed.
    expect(Object.getPrototypeOf(value)).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(json.locate(['__proto__', 'polluted'])).toEqual({ line: 1, column: 16 });
  });

  it('inherits nothing, so a lookup sees only the document', () => {
    const value = parsed('{"a": 1}').value as Record<string, unknown>;
    for (const name of ['toString', 'hasOwnProperty', 'constructor', '__proto__', 'valueOf']) {
      expect(value[name]).toBeUndefined();
    }
  });

  it('does not report a document key as a duplicate of an inherited name', () => {
    expect(parsed('{"toString": 1, "constructor": 2, "__proto__": 3}').duplicateKeys).toEqual([]);
  });
});

describe('parseJsonSource: duplicate keys', () => {
  it('keeps the later value and reports both locations with the object path', () => {
    const json = parsed('{\n  "a": 1,\n  "list": [{"x": 1,\n "x": 2.50}],\n  "a": "two"\n}');
    const value = json.value as Record<string, JsonValue>;
    expect(value).toEqual({ a: 'two', list: [{ x: 2.5 }] });
    expect(Object.keys(value)).toEqual(['a', 'list']);
    expect(json.duplicateKeys).toEqual([
      { path: ['list', 0], key: 'x', first: { line: 3, column: 13 }, second: { line: 4, column: 2 } },
      { path: [], key: 'a', first: { line: 2, column: 3 }, second: { line: 5, column: 3 } },
    ]);
    expect(json.locate(['a'])).toEqual({ line: 5, column: 3 });
    expect(json.numberText(['list', 0, 'x'])).toBe('2.50');
  });

  it('forgets the number text of a value that was replaced', () => {
    const json = parsed('{"n": 1.50, "n": 2}');
    expect(json.numberText(['n'])).toBe('2');
  });
});

describe('parseJsonSource: number text', () => {
  it('gives numbers exactly as written', () => {
    const json = parsed(
      '{"a": 1.50, "b": 1e3, "c": 1.5, "d": 10, "e": -0, "f": [0.0, 100, 1E-7], "g": 12345678901234567890, "h": "1.0"}',
    );
    expect(json.numberText(['a'])).toBe('1.50');
    expect(json.numberText(['b'])).toBe('1e3');
    expect(json.numberText(['c'])).toBe('1.5');
    expect(json.numberText(['d'])).toBe('10');
    expect(json.numberText(['e'])).toBe('-0');
    expect(json.numberText(['f', 0])).toBe('0.0');
    expect(json.numberText(['f', 1])).toBe('100');
    expect(json.numberText(['f', 2])).toBe('1E-7');
    expect(json.numberText(['g'])).toBe('12345678901234567890');
    expect(json.numberText(['h'])).toBeUndefined();
    expect(json.numberText(['missing'])).toBeUndefined();
    expect(json.numberText([])).toBeUndefined();
    expect(parsed(' 2.000 ').numberText([])).toBe('2.000');
  });
});
