/**
 * Where the entries of a Bundle's JSON are, found without building the Bundle: one pass over the file's
 * bytes that notes each entry's span, its line and column, its fullUrl and its resource's type, id and
 * version, and skips everything else. A large Bundle is then validated entry by entry (bundle-split.ts)
 * from these spans. The bytes are never decoded whole: a string of the whole file would also make the
 * JavaScript heap's live size the file's, and the collector let garbage grow to a multiple of it.
 */
import { isAscii } from 'node:buffer';

export interface EntrySpan {
  /** Byte offsets of the entry object: `bytes.subarray(start, end)` is its JSON. */
  start: number;
  end: number;
  /** 1-based line and column (in characters, as the validator counts them) of its `{`. */
  line: number;
  column: number;
  /** Newlines inside it. */
  newlines: number;
  fullUrl?: string;
  resourceType?: string;
  id?: string;
  versionId?: string;
}

export interface BundleLayout {
  type: string;
  /** Whether the Bundle names a profile of its own (meta.profile). */
  profiled: boolean;
  /** Byte offsets of the entry array's `[` and `]`. */
  open: number;
  close: number;
  /** 1-based line and column of the `]`. */
  closeLine: number;
  closeColumn: number;
  entries: EntrySpan[];
}

const NEWLINE = 10;
const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN_ARRAY = 91;
const BACKSLASH = 92;
const CLOSE_ARRAY = 93;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;

/** Thrown inside the scan when the text is not what the layout can describe; the caller falls back. */
class NotLaidOut extends Error {}

/**
 * The layout of a Bundle's UTF-8 JSON, or undefined when it is not a JSON object with resourceType
 * Bundle and an entry array (a syntax error included: the whole-document path reports it).
 */
export function bundleLayout(bytes: Uint8Array): BundleLayout | undefined {
  try {
    return new Scanner(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).bundle();
  } catch (error) {
    if (error instanceof NotLaidOut) return undefined;
    throw error;
  }
}

class Scanner {
  private at = 0;
  /** Lines counted so far, so a position's line is found by counting only what is new. */
  private line = 1;
  private lineStart = 0;
  private nextNewline: number;
  /** The last position asked for, and its column: columns are counted on from there. */
  private columnAt = 0;
  private column = 1;

  constructor(private readonly bytes: Buffer) {
    this.nextNewline = bytes.indexOf(NEWLINE);
  }

  bundle(): BundleLayout {
    this.space();
    this.expect(OPEN_OBJECT);
    let resourceType: string | undefined;
    let type = '';
    let profiled = false;
    let entries: EntrySpan[] | undefined;
    let open = -1;
    let close = -1;
    this.members((key) => {
      if (key === 'resourceType') resourceType = this.string();
      else if (key === 'type') type = this.string();
      else if (key === 'meta') profiled = this.metaHasProfile();
      else if (key === 'entry') {
        this.space();
        open = this.at;
        entries = this.entries();
        close = this.at - 1;
      } else this.skipValue();
    });
    this.space();
    if (this.at !== this.bytes.length) throw new NotLaidOut();
    if (resourceType !== 'Bundle' || !entries) throw new NotLaidOut();
    const { line, column } = this.position(close);
    return { type, profiled, open, close, closeLine: line, closeColumn: column, entries };
  }

  private entries(): EntrySpan[] {
    const spans: EntrySpan[] = [];
    this.expect(OPEN_ARRAY);
    this.space();
    if (this.peek() === CLOSE_ARRAY) {
      this.at++;
      return spans;
    }
    for (;;) {
      this.space();
      spans.push(this.entry());
      this.space();
      const next = this.bytes[this.at++];
      if (next === CLOSE_ARRAY) return spans;
      if (next !== COMMA) throw new NotLaidOut();
    }
  }

  private entry(): EntrySpan {
    const start = this.at;
    const { line, column } = this.position(start);
    const span: EntrySpan = { start, end: start, line, column, newlines: 0 };
    this.expect(OPEN_OBJECT);
    this.members((key) => {
      if (key === 'fullUrl') span.fullUrl = this.string();
      else if (key === 'resource') this.resource(span);
      else this.skipValue();
    });
    span.end = this.at;
    span.newlines = this.position(span.end).line - line;
    return span;
  }

  private resource(span: EntrySpan): void {
    this.space();
    if (this.peek() !== OPEN_OBJECT) return this.skipValue();
    this.at++;
    this.members((key) => {
      if (key === 'resourceType') span.resourceType = this.string();
      else if (key === 'id') span.id = this.string();
      else if (key === 'meta') {
        this.space();
        if (this.peek() !== OPEN_OBJECT) return this.skipValue();
        this.at++;
        this.members((metaKey) => {
          if (metaKey === 'versionId') span.versionId = this.string();
          else this.skipValue();
        });
      } else this.skipValue();
    });
  }

  private metaHasProfile(): boolean {
    this.space();
    if (this.peek() !== OPEN_OBJECT) {
      this.skipValue();
      return false;
    }
    this.at++;
    let profiled = false;
    this.members((key) => {
      if (key === 'profile') profiled = true;
      this.skipValue();
    });
    return profiled;
  }

  /** The members of an object whose `{` was read, each value read by `value`, through the `}`. */
  private members(value: (key: string) => void): void {
    this.space();
    if (this.peek() === CLOSE_OBJECT) {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      const key = this.string();
      this.space();
      this.expect(COLON);
      value(key);
      this.space();
      const next = this.bytes[this.at++];
      if (next === CLOSE_OBJECT) return;
      if (next !== COMMA) throw new NotLaidOut();
    }
  }

  /** A string value, decoded; anything else where one was wanted is skipped and read as ''. */
  private string(): string {
    this.space();
    if (this.peek() !== QUOTE) {
      this.skipValue();
      return '';
    }
    const start = this.at;
    this.skipString();
    const raw = this.bytes.toString('utf8', start, this.at);
    return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  private skipString(): void {
    const bytes = this.bytes;
    let i = this.at + 1;
    for (;;) {
      const quote = bytes.indexOf(QUOTE, i);
      if (quote === -1) throw new NotLaidOut();
      let backslashes = 0;
      for (let j = quote - 1; bytes[j] === BACKSLASH; j--) backslashes++;
      i = quote + 1;
      if (backslashes % 2 === 0) break;
    }
    this.at = i;
  }

  /** Skips one value: strings whole, containers by counting brackets outside strings. */
  private skipValue(): void {
    this.space();
    const first = this.peek();
    if (first === QUOTE) return this.skipString();
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      const ahead = this.bytes.toString('latin1', this.at, this.at + 64);
      const match = /^-?[0-9][0-9eE.+-]*|^true|^false|^null/.exec(ahead);
      if (!match) throw new NotLaidOut();
      this.at += match[0].length;
      return;
    }
    const bytes = this.bytes;
    let depth = 0;
    for (let i = this.at; i < bytes.length; i++) {
      const code = bytes[i];
      if (code === QUOTE) {
        this.at = i;
        this.skipString();
        i = this.at - 1;
      } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) depth++;
      else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) {
          this.at = i + 1;
          return;
        }
      }
    }
    throw new NotLaidOut();
  }

  private space(): void {
    const bytes = this.bytes;
    let i = this.at;
    for (;;) {
      const code = bytes[i];
      if (code === 32 || code === 10 || code === 13 || code === 9) i++;
      else break;
    }
    this.at = i;
  }

  private peek(): number | undefined {
    return this.bytes[this.at];
  }

  private expect(byte: number): void {
    if (this.bytes[this.at] !== byte) throw new NotLaidOut();
    this.at++;
  }

  /**
   * The line and column of an offset at or after the last one asked for (the scan only moves on). The
   * column counts UTF-16 units, as the validator's parser of the decoded text does: the bytes since the
   * last position are decoded only when they are not all ASCII.
   */
  private position(offset: number): { line: number; column: number } {
    const bytes = this.bytes;
    // The next newline is kept: in a file with few newlines, looking for it afresh would cross the rest of the file each time.
    while (this.nextNewline !== -1 && this.nextNewline < offset) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = bytes.indexOf(NEWLINE, this.lineStart);
      this.columnAt = this.lineStart;
      this.column = 1;
    }
    const between = bytes.subarray(this.columnAt, offset);
    this.column += isAscii(between) ? between.length : bytes.toString('utf8', this.columnAt, offset).length;
    this.columnAt = offset;
    return { line: this.line, column: this.column };
  }
}
