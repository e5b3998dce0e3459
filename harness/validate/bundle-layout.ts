/**
 * Where the entries of a Bundle's JSON text are, found without building the Bundle: one pass over the
 * text that notes each entry's span, its line and column, its fullUrl and its resource's type, id and
 * version, and skips everything else. A large Bundle is then validated entry by entry (bundle-split.ts)
 * from these spans, with the text read once and no tree of the whole Bundle ever built.
 */

export interface EntrySpan {
  /** Offsets of the entry object in the text: `text.slice(start, end)` is its JSON. */
  start: number;
  end: number;
  /** 1-based line and column of its `{`. */
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
  /** Offsets of the entry array's `[` and `]`. */
  open: number;
  close: number;
  /** 1-based line and column of the `]`. */
  closeLine: number;
  closeColumn: number;
  entries: EntrySpan[];
}

/** Thrown inside the scan when the text is not what the layout can describe; the caller falls back. */
class NotLaidOut extends Error {}

/**
 * The layout of a Bundle's text, or undefined when the text is not a JSON object with resourceType
 * Bundle and an entry array (a syntax error included: the whole-document path reports it).
 */
export function bundleLayout(text: string): BundleLayout | undefined {
  try {
    return new Scanner(text).bundle();
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

  constructor(private readonly text: string) {
    this.nextNewline = text.indexOf('\n');
  }

  bundle(): BundleLayout {
    this.space();
    this.expect('{');
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
    if (this.at !== this.text.length) throw new NotLaidOut();
    if (resourceType !== 'Bundle' || !entries) throw new NotLaidOut();
    const { line, column } = this.position(close);
    return { type, profiled, open, close, closeLine: line, closeColumn: column, entries };
  }

  private entries(): EntrySpan[] {
    const spans: EntrySpan[] = [];
    this.expect('[');
    this.space();
    if (this.peek() === ']') {
      this.at++;
      return spans;
    }
    for (;;) {
      this.space();
      spans.push(this.entry());
      this.space();
      const next = this.text[this.at++];
      if (next === ']') return spans;
      if (next !== ',') throw new NotLaidOut();
    }
  }

  private entry(): EntrySpan {
    const start = this.at;
    const { line, column } = this.position(start);
    const span: EntrySpan = { start, end: start, line, column, newlines: 0 };
    this.expect('{');
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
    if (this.peek() !== '{') return this.skipValue();
    this.at++;
    this.members((key) => {
      if (key === 'resourceType') span.resourceType = this.string();
      else if (key === 'id') span.id = this.string();
      else if (key === 'meta') {
        this.space();
        if (this.peek() !== '{') return this.skipValue();
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
    if (this.peek() !== '{') {
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
    if (this.peek() === '}') {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      const key = this.string();
      this.space();
      this.expect(':');
      value(key);
      this.space();
      const next = this.text[this.at++];
      if (next === '}') return;
      if (next !== ',') throw new NotLaidOut();
    }
  }

  /** A string value, decoded; anything else where one was wanted is skipped and read as ''. */
  private string(): string {
    this.space();
    if (this.peek() !== '"') {
      this.skipValue();
      return '';
    }
    const start = this.at;
    this.skipString();
    const raw = this.text.slice(start, this.at);
    return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  private skipString(): void {
    const text = this.text;
    let i = this.at + 1;
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote === -1) throw new NotLaidOut();
      let backslashes = 0;
      for (let j = quote - 1; text.charCodeAt(j) === 92; j--) backslashes++;
      i = quote + 1;
      if (backslashes % 2 === 0) break;
    }
    this.at = i;
  }

  /** Skips one value: strings whole, containers by counting brackets outside strings. */
  private skipValue(): void {
    this.space();
    const first = this.peek();
    if (first === '"') return this.skipString();
    if (first !== '{' && first !== '[') {
      const match = /^-?[0-9][0-9eE.+-]*|^true|^false|^null/.exec(this.text.slice(this.at, this.at + 64));
      if (!match) throw new NotLaidOut();
      this.at += match[0].length;
      return;
    }
    const text = this.text;
    let depth = 0;
    for (let i = this.at; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        this.at = i;
        this.skipString();
        i = this.at - 1;
      } else if (code === 123 || code === 91) depth++;
      else if (code === 125 || code === 93) {
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
    const text = this.text;
    let i = this.at;
    for (;;) {
      const code = text.charCodeAt(i);
      if (code === 32 || code === 10 || code === 13 || code === 9) i++;
      else break;
    }
    this.at = i;
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private expect(char: string): void {
    if (this.text[this.at] !== char) throw new NotLaidOut();
    this.at++;
  }

  /** The line and column of an offset at or after the last one asked for (the scan only moves on). */
  private position(offset: number): { line: number; column: number } {
    const text = this.text;
    // The next newline is kept: in a file with few newlines, looking for it afresh would cross the rest of the file each time.
    while (this.nextNewline !== -1 && this.nextNewline < offset) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = text.indexOf('\n', this.lineStart);
    }
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}
