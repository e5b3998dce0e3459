/**
 * JSON source with locations: a strict RFC 8259 parser for the validator that remembers where every
 * value sits in the text, which keys were duplicated, and how each number was written.
 *
 * Why not `JSON.parse`: it forgets positions (the validator reports line and column like the HL7
 * validator), silently drops duplicate keys, and turns "1.50" into 1.5 (the FHIR decimal rules need
 * the text). The parser runs on every validated resource, so it is written for speed:
 *
 * - Only character offsets are recorded while parsing; line and column are computed on demand from a
 *   line-start index built on the first `locate` (binary search). Most resources never ask.
 * - Per container one `number[]` of offsets, in source order, kept in a Map keyed by the container:
 *   for an array the start of each item, for an object the start of each key. Keys themselves are
 *   not stored; `locate` reads them back from the text at those offsets (rare, so that is cheap).
 * - Number text is stored only when it differs from the canonical JS form (`String(value)`), which
 *   is rare in FHIR content; `numberText` falls back to `String(value)` for the others, so callers
 *   always get the text as written.
 * - Recursive descent, with the depth checked before going one level deeper (default limit 1000), so
 *   hostile nesting ends in a clean error long before the JS stack does.
 *
 * Objects are built by `new JsonObjectShape()`: a plain fast-mode object whose prototype chain is an
 * empty object with a null prototype. Nothing is inherited (no `toString`, no `constructor`, no
 * `__proto__` accessor), so `obj[key]` only ever sees the document's own keys and `__proto__`,
 * `constructor` and `prototype` become ordinary own properties. `Object.create(null)` would be as safe,
 * but V8 makes such objects dictionaries, which are slower to build and to read.
 *
 * Kept as one file (about 650 lines): the parser is one hot class whose methods share the cursor, the
 * offset tables and the failure state, and the location lookup reads those tables back; split apart,
 * each half would have to expose the other's internals.
 */

/** A position in the source text: 1-based line, 1-based column counted in UTF-16 code units. */
export interface SourceLocation {
  line: number;
  column: number;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A parsed JSON object: own keys only, nothing inherited (see the module comment). */
export interface JsonObject {
  [key: string]: JsonValue;
}

export type JsonPath = ReadonlyArray<string | number>;

export interface DuplicateKey {
  /** Path of the object holding the key twice. */
  path: (string | number)[];
  key: string;
  first: SourceLocation;
  second: SourceLocation;
}

export interface ParsedJson {
  value: JsonValue;
  /**
   * Where the value at `path` starts (keys for objects, indexes for arrays). For a property this is
   * where its key starts, as the HL7 validator reports; for an array item, where the item starts; for
   * `[]`, where the root value starts. Undefined when the path does not exist.
   */
  locate(path: JsonPath): SourceLocation | undefined;
  /** Keys that appeared twice in one object (the later value wins, as with `JSON.parse`). */
  duplicateKeys: DuplicateKey[];
  /** The number at `path` exactly as written ("1.50", "1e3", "-0"); undefined when not a number. */
  numberText(path: JsonPath): string | undefined;
}

/** The size limit a text broke, when parsing stopped at one (see ParseOptions). */
export type ParseLimit = 'depth' | 'nodes' | 'array' | 'string';

export type ParseResult =
  | { ok: true; json: ParsedJson }
  | { ok: false; error: { message: string; location: SourceLocation; limit?: ParseLimit } };

/**
 * Bounds on what a text may hold, checked as it is read (parsing stops at the first one broken): a
 * server parsing what anyone sends needs them; a file on disk is parsed whole (no limit but depth).
 */
export interface ParseOptions {
  /** Deepest nesting of arrays and objects accepted; the root container is depth 1. Default 1000. */
  maxDepth?: number;
  /** Most values (objects, arrays, strings, numbers, literals; keys not counted). Default: no limit. */
  maxNodes?: number;
  /** Most items in one array. Default: no limit. */
  maxArrayLength?: number;
  /** Longest string, in UTF-16 code units as written (escapes counted as written). Default: no limit. */
  maxStringLength?: number;
}

export const DEFAULT_MAX_DEPTH = 1000;

/** Prototype of parsed objects: empty, and itself without a prototype, so nothing is inherited. */
const EMPTY_PROTOTYPE: object = Object.freeze(Object.create(null));

// A constructor function (not a class) so `new` costs no more than an object literal.
function JsonObjectShape(this: JsonObject): void {}
JsonObjectShape.prototype = EMPTY_PROTOTYPE;
const newObject = (): JsonObject => new (JsonObjectShape as unknown as new () => JsonObject)();

const BOM = 0xfeff;

// Character codes used by the scanner.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const UPPER_E = 69;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const LOWER_E = 101;
const LOWER_F = 102;
const LOWER_N = 110;
const LOWER_T = 116;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Thrown inside the parser only; `parseJsonSource` turns it into an error value. */
class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly offset: number,
    readonly limit?: ParseLimit,
  ) {}
}

type Container = JsonObject | JsonValue[];

interface RawDuplicate {
  path: (string | number)[];
  key: string;
  firstOffset: number;
  secondOffset: number;
}

class Parser {
  pos: number;
  /** Offsets of members per container: item starts for arrays, key starts for objects. */
  readonly offsets = new Map<Container, number[]>();
  /** Number text that differs from `String(value)`, per container and key or index. */
  numberTexts: Map<Container, Map<string | number, string>> | undefined;
  /** Text of the number just parsed when it is not canonical, else undefined. */
  lastNumberText: string | undefined;
  /** Keys and indexes from the root to the member being parsed; only read to report duplicates. */
  readonly path: (string | number)[] = [];
  readonly duplicates: RawDuplicate[] = [];
  private lineStarts: number[] | undefined;
  /** Values read so far, against maxNodes. */
  private nodes = 0;
  readonly maxDepth: number;
  private readonly maxNodes: number;
  private readonly maxArrayLength: number;
  private readonly maxStringLength: number;

  constructor(
    readonly text: string,
    readonly start: number,
    options: ParseOptions | undefined,
  ) {
    this.pos = start;
    this.maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxNodes = options?.maxNodes ?? Infinity;
    this.maxArrayLength = options?.maxArrayLength ?? Infinity;
    this.maxStringLength = options?.maxStringLength ?? Infinity;
  }

  parseDocument(): JsonValue {
    this.skipWhitespace();
    if (this.pos >= this.text.length) this.fail('a JSON value');
    const value = this.parseValue(0);
    if (typeof value === 'number' && this.lastNumberText !== undefined) {
      this.recordNumberText(ROOT_HOLDER, '', this.lastNumberText);
    }
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('the end of the input');
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === SPACE || c === LF || c === CR || c === TAB) pos++;
      else break;
    }
    this.pos = pos;
  }

  /** `depth` is the number of containers around the value. The caller skipped whitespace. */
  private parseValue(depth: number): JsonValue {
    if (++this.nodes > this.maxNodes) this.failLimit('nodes', `more than ${this.maxNodes} values`);
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return this.parseString();
    if (c === OPEN_BRACE) return this.parseObject(depth + 1);
    if (c === OPEN_BRACKET) return this.parseArray(depth + 1);
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.parseNumber();
    if (c === LOWER_T) return this.parseLiteral('true', true);
    if (c === LOWER_F) return this.parseLiteral('false', false);
    if (c === LOWER_N) return this.parseLiteral('null', null);
    return this.fail('a JSON value');
  }

  private parseObject(depth: number): JsonObject {
    if (depth > this.maxDepth) this.failTooDeep();
    const text = this.text;
    const obj = newObject();
    const offsets: number[] = [];
    this.offsets.set(obj, offsets);
    this.pos++;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return obj;
    }
    const path = this.path;
    /** Where each key last appeared, built at the object's first repeated key (see duplicateKey). */
    let lastOffsets: Map<string, number> | undefined;
    for (;;) {
      if (text.charCodeAt(this.pos) !== QUOTE) this.fail('a property name');
      const keyOffset = this.pos;
      const key = this.parseString();
      offsets.push(keyOffset);
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== COLON) this.fail("':' after the property name");
      this.pos++;
      this.skipWhitespace();
      path[depth - 1] = key;
      const value = this.parseValue(depth);
      if (obj[key] !== undefined) lastOffsets = this.duplicateKey(obj, key, keyOffset, depth, lastOffsets);
      else lastOffsets?.set(key, keyOffset);
      if (key === '__proto__') {
        // No accessor is inherited, but be explicit: a data property, whatever the engine does.
        Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
      } else {
        obj[key] = value;
      }
      if (typeof value === 'number' && this.lastNumberText !== undefined) {
        this.recordNumberText(obj, key, this.lastNumberText);
      }
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === CLOSE_BRACE) {
        this.pos++;
        return obj;
      } else {
        this.fail("',' or '}'");
      }
    }
  }

  private parseArray(depth: number): JsonValue[] {
    if (depth > this.maxDepth) this.failTooDeep();
    const text = this.text;
    const arr: JsonValue[] = [];
    const offsets: number[] = [];
    this.offsets.set(arr, offsets);
    this.pos++;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return arr;
    }
    const path = this.path;
    for (let index = 0; ; index++) {
      if (index >= this.maxArrayLength)
        this.failLimit('array', `an array of more than ${this.maxArrayLength} items`);
      offsets.push(this.pos);
      path[depth - 1] = index;
      const value = this.parseValue(depth);
      arr.push(value);
      if (typeof value === 'number' && this.lastNumberText !== undefined) {
        this.recordNumberText(arr, index, this.lastNumberText);
      }
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === CLOSE_BRACKET) {
        this.pos++;
        return arr;
      } else {
        this.fail("',' or ']'");
      }
    }
  }

  /** Parses the string whose opening quote is at `pos`. */
  parseString(): string {
    const text = this.text;
    const length = text.length;
    const start = this.pos + 1;
    // Fast path: no escapes, which is nearly every FHIR string.
    for (let i = start; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        if (i - start > this.maxStringLength) this.failLongString(start);
        this.pos = i + 1;
        return text.slice(start, i);
      }
      if (c === BACKSLASH) return this.parseEscapedString(start, i);
      if (c < SPACE) {
        this.pos = i;
        this.fail('no control character inside a string (escape it)');
      }
    }
    this.pos = length;
    return this.fail("'\"' to close the string");
  }

  /** Continues a string from `i`, the first backslash; `start` is just after the opening quote. */
  private parseEscapedString(start: number, i: number): string {
    const text = this.text;
    const length = text.length;
    let result = text.slice(start, i);
    let chunkStart = i;
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        if (i - start > this.maxStringLength) this.failLongString(start);
        this.pos = i + 1;
        return result + text.slice(chunkStart, i);
      }
      if (c < SPACE) {
        this.pos = i;
        this.fail('no control character inside a string (escape it)');
      }
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      result += text.slice(chunkStart, i);
      const e = text.charCodeAt(i + 1);
      switch (e) {
        case QUOTE:
          result += '"';
          break;
        case BACKSLASH:
          result += '\\';
          break;
        case SLASH:
          result += '/';
          break;
        case 98: // b
          result += '\b';
          break;
        case LOWER_F:
          result += '\f';
          break;
        case LOWER_N:
          result += '\n';
          break;
        case 114: // r
          result += '\r';
          break;
        case LOWER_T:
          result += '\t';
          break;
        case 117: {
          // u: exactly four hex digits; lone surrogates are kept, as JSON.parse does.
          let code = 0;
          for (let k = i + 2; k < i + 6; k++) {
            const h = hexValue(text.charCodeAt(k));
            if (h < 0) {
              this.pos = k;
              this.fail('a hexadecimal digit in the \\u escape');
            }
            code = code * 16 + h;
          }
          result += String.fromCharCode(code);
          i += 4;
          break;
        }
        default:
          this.pos = i + 1;
          this.fail('an escape: one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
      }
      i += 2;
      chunkStart = i;
    }
    this.pos = length;
    return this.fail("'\"' to close the string");
  }

  private parseNumber(): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    let c = text.charCodeAt(pos);
    if (c === MINUS) c = text.charCodeAt(++pos);
    // Integer part: 0, or a non-zero digit followed by digits. Small integers are summed on the way.
    let integer = 0;
    if (c === ZERO) {
      c = text.charCodeAt(++pos);
      if (c >= ZERO && c <= NINE) {
        this.pos = pos;
        this.fail("no leading zero (a number starts with '0' only when it is 0 or 0.x)");
      }
    } else if (c > ZERO && c <= NINE) {
      do {
        integer = integer * 10 + (c - ZERO);
        c = text.charCodeAt(++pos);
      } while (c >= ZERO && c <= NINE);
    } else {
      this.pos = pos;
      this.fail('a digit');
    }
    let plainInteger = true;
    if (c === DOT) {
      plainInteger = false;
      c = text.charCodeAt(++pos);
      if (!(c >= ZERO && c <= NINE)) {
        this.pos = pos;
        this.fail("a digit after the '.'");
      }
      do c = text.charCodeAt(++pos);
      while (c >= ZERO && c <= NINE);
    }
    if (c === LOWER_E || c === UPPER_E) {
      plainInteger = false;
      c = text.charCodeAt(++pos);
      if (c === PLUS || c === MINUS) c = text.charCodeAt(++pos);
      if (!(c >= ZERO && c <= NINE)) {
        this.pos = pos;
        this.fail('a digit in the exponent');
      }
      do c = text.charCodeAt(++pos);
      while (c >= ZERO && c <= NINE);
    }
    this.pos = pos;
    const negative = text.charCodeAt(start) === MINUS;
    // Up to 15 digits an integer is exact, and its text is already canonical (except -0).
    if (plainInteger && pos - start - (negative ? 1 : 0) <= 15) {
      this.lastNumberText = negative && integer === 0 ? '-0' : undefined;
      return negative ? -integer : integer;
    }
    const written = text.slice(start, pos);
    const value = Number(written);
    this.lastNumberText = String(value) === written ? undefined : written;
    return value;
  }

  private parseLiteral<T extends boolean | null>(word: string, value: T): T {
    const text = this.text;
    const pos = this.pos;
    for (let k = 1; k < word.length; k++) {
      if (text.charCodeAt(pos + k) !== word.charCodeAt(k)) {
        this.pos = pos + k;
        this.fail(`'${word}'`);
      }
    }
    this.pos = pos + word.length;
    return value;
  }

  private recordNumberText(container: Container, key: string | number, written: string): void {
    this.numberTexts ??= new Map();
    let texts = this.numberTexts.get(container);
    if (texts === undefined) this.numberTexts.set(container, (texts = new Map()));
    texts.set(key, written);
  }

  /**
   * Records a repeated key and returns the object's table of where each key last appeared. The table is
   * built once, at the first repeat (one pass over the keys so far), and kept up to date after: an
   * object of n keys each repeated costs n lookups, not n scans back through its keys.
   */
  private duplicateKey(
    obj: JsonObject,
    key: string,
    secondOffset: number,
    depth: number,
    lastOffsets: Map<string, number> | undefined,
  ): Map<string, number> {
    let table = lastOffsets;
    if (table === undefined) {
      table = new Map();
      // Own keys only are possible (nothing is inherited), so `obj[key] !== undefined` meant a repeat.
      const offsets = this.offsets.get(obj) ?? [];
      // The last offset is this key's; the table holds the ones before it.
      for (let k = 0; k < offsets.length - 1; k++) {
        const offset = offsets[k] as number;
        table.set(this.keyAt(offset), offset);
      }
    }
    const firstOffset = table.get(key) ?? secondOffset;
    table.set(key, secondOffset);
    this.duplicates.push({ path: this.path.slice(0, depth - 1), key, firstOffset, secondOffset });
    // The earlier value is gone; so is its number text, if any.
    this.numberTexts?.get(obj)?.delete(key);
    return table;
  }

  /** The key whose opening quote is at `offset` (already known to be a valid string). */
  keyAt(offset: number): string {
    const saved = this.pos;
    this.pos = offset;
    const key = this.parseString();
    this.pos = saved;
    return key;
  }

  private fail(expected: string): never {
    const pos = this.pos;
    const text = this.text;
    const where = this.describeOffset(pos);
    if (pos >= text.length) {
      throw new SyntaxFailure(`Unexpected end of input at ${where}: expected ${expected}`, pos);
    }
    let found = describeCharacter(text.charCodeAt(pos));
    // Explain the usual non-JSON habits instead of only naming the character.
    const rest = text.slice(pos, pos + 9);
    if (/^(\/\/|\/\*)/.test(rest)) found += ' (comments are not allowed in JSON)';
    else if (/^(NaN|-?Infinity)/.test(rest)) found += ' (NaN and Infinity are not JSON numbers)';
    else if (/^[}\]]/.test(rest) && this.previousSignificant(pos) === COMMA) {
      found += ' (trailing commas are not allowed in JSON)';
    }
    throw new SyntaxFailure(`Unexpected character ${found} at ${where}: expected ${expected}`, pos);
  }

  private failTooDeep(): never {
    const where = this.describeOffset(this.pos);
    throw new SyntaxFailure(
      `Nesting too deep at ${where}: more than ${this.maxDepth} levels of arrays and objects`,
      this.pos,
      'depth',
    );
  }

  /** Stops at a size limit: `what` says what was found, the message names the limit. */
  private failLimit(limit: ParseLimit, what: string): never {
    const where = this.describeOffset(this.pos);
    throw new SyntaxFailure(`Too large at ${where}: ${what}`, this.pos, limit);
  }

  private failLongString(start: number): never {
    this.pos = start - 1;
    return this.failLimit('string', `a string longer than ${this.maxStringLength} characters`);
  }

  private previousSignificant(pos: number): number {
    for (let k = pos - 1; k >= this.start; k--) {
      const c = this.text.charCodeAt(k);
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) return c;
    }
    return NaN;
  }

  private describeOffset(offset: number): string {
    const { line, column } = this.location(offset);
    return `line ${line}, column ${column}`;
  }

  /**
   * Line and column of a character offset. A line ends at LF, CRLF or a lone CR. Line 1 starts after
   * the BOM, if any, so the first character after it is line 1, column 1.
   */
  location(offset: number): SourceLocation {
    const starts = (this.lineStarts ??= computeLineStarts(this.text, this.start));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] as number) + 1 };
  }
}

/** Holder for the number text of a root value that is a number (path []). */
const ROOT_HOLDER: JsonValue[] = [];

function computeLineStarts(text: string, start: number): number[] {
  const starts = [start];
  if (!hasLoneCarriageReturn(text, start)) {
    // The usual case (LF or CRLF): indexOf jumps from line to line much faster than a char loop.
    for (let i = text.indexOf('\n', start); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) starts.push(i + 1);
  }
  return starts;
}

function hasLoneCarriageReturn(text: string, start: number): boolean {
  for (let i = text.indexOf('\r', start); i !== -1; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== LF) return true;
  }
  return false;
}

function hexValue(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  if (c >= 65 && c <= 70) return c - 55; // A-F
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

/** A character as shown in a message: quoted when printable, as \uXXXX when it is not. */
function describeCharacter(c: number): string {
  if (c < SPACE || c === 0x7f || (c >= 0xd800 && c <= 0xdfff) || c === BOM) {
    return `'\\u${c.toString(16).toUpperCase().padStart(4, '0')}'`;
  }
  return `'${String.fromCharCode(c)}'`;
}

/** Parses `text` as strict RFC 8259 JSON. Never throws on bad input: errors are values. */
export function parseJsonSource(text: string, options?: ParseOptions): ParseResult {
  const start = text.charCodeAt(0) === BOM ? 1 : 0;
  const parser = new Parser(text, start, options);
  let value: JsonValue;
  try {
    value = parser.parseDocument();
  } catch (e) {
    if (e instanceof SyntaxFailure) {
      const location = parser.location(e.offset);
      return {
        ok: false,
        error: { message: e.message, location, ...(e.limit !== undefined ? { limit: e.limit } : {}) },
      };
    }
    // Only reachable with a maxDepth set above what the JS stack can hold.
    if (e instanceof RangeError) {
      const location = parser.location(Math.min(parser.pos, text.length));
      const message = `Nesting too deep at line ${location.line}, column ${location.column}: the parser ran out of stack`;
      return { ok: false, error: { message, location, limit: 'depth' } };
    }
    throw e;
  }
  return { ok: true, json: new ParsedSource(parser, value) };
}

class ParsedSource implements ParsedJson {
  readonly duplicateKeys: DuplicateKey[];
  private readonly rootOffset: number;

  constructor(
    private readonly parser: Parser,
    readonly value: JsonValue,
  ) {
    let root = parser.start;
    while (/[ \t\r\n]/.test(parser.text.charAt(root))) root++;
    this.rootOffset = root;
    this.duplicateKeys = parser.duplicates.map((d) => ({
      path: d.path,
      key: d.key,
      first: parser.location(d.firstOffset),
      second: parser.location(d.secondOffset),
    }));
  }

  locate(path: JsonPath): SourceLocation | undefined {
    let node: JsonValue = this.value;
    let offset = this.rootOffset;
    for (const step of path) {
      const member = this.member(node, step);
      if (member === undefined) return undefined;
      node = member.value;
      offset = member.offset;
    }
    return this.parser.location(offset);
  }

  numberText(path: JsonPath): string | undefined {
    let holder: Container = ROOT_HOLDER;
    let key: string | number = '';
    let node: JsonValue = this.value;
    for (const step of path) {
      const member = this.member(node, step);
      if (member === undefined) return undefined;
      holder = node as Container;
      key = step;
      node = member.value;
    }
    if (typeof node !== 'number') return undefined;
    return this.parser.numberTexts?.get(holder)?.get(key) ?? String(node);
  }

  /** The member of a container at one path step, with its offset (key start or item start). */
  private member(node: JsonValue, step: string | number): { value: JsonValue; offset: number } | undefined {
    if (node === null || typeof node !== 'object') return undefined;
    const offsets = this.parser.offsets.get(node);
    if (offsets === undefined) return undefined;
    if (Array.isArray(node)) {
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step >= node.length) {
        return undefined;
      }
      return { value: node[step] as JsonValue, offset: offsets[step] as number };
    }
    if (typeof step !== 'string' || !Object.hasOwn(node, step)) return undefined;
    // The last occurrence of the key is the one whose value was kept.
    for (let k = offsets.length - 1; k >= 0; k--) {
      const offset = offsets[k] as number;
      if (this.parser.keyAt(offset) === step) return { value: node[step] as JsonValue, offset };
    }
    return undefined;
  }
}
