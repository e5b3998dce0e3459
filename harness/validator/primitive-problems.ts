/**
 * What every primitive check shares: the shape of a problem, the one empty answer a valid value gets
 * (it allocates nothing), messages that quote values safely, and whitespace as HL7 reads it.
 */

export interface PrimitiveProblem {
  kind: 'json-type' | 'format' | 'range' | 'length' | 'whitespace' | 'empty';
  message: string;
}

export const NO_PROBLEMS: readonly PrimitiveProblem[] = Object.freeze([]);

/** R4 string: "the maximum size is 1 MB"; HL7 counts Java chars, which are UTF-16 code units like ours. */
export const MAX_STRING_LENGTH = 1_048_576;

export function one(kind: PrimitiveProblem['kind'], message: string): readonly PrimitiveProblem[] {
  return [{ kind, message }];
}

/** A value quoted for a message, cut short so a 1 MB string does not end up in a report. */
export function quote(text: string): string {
  const shown = text.length > 100 ? `${text.slice(0, 100)}...` : text;
  return `'${shown}'`;
}

/**
 * Whitespace as HL7's Utilities.isWhitespace reads it (Unicode White_Space), used for the string and
 * code whitespace rules. Not Java's regex `\s`, which is ASCII only.
 */
export function isWhitespace(ch: number): boolean {
  if (ch <= 0x20) return ch === 0x20 || (ch >= 0x09 && ch <= 0x0d);
  if (ch < 0x85) return false;
  return (
    ch === 0x85 ||
    ch === 0xa0 ||
    ch === 0x1680 ||
    (ch >= 0x2000 && ch <= 0x200a) ||
    ch === 0x2028 ||
    ch === 0x2029 ||
    ch === 0x202f ||
    ch === 0x205f ||
    ch === 0x3000
  );
}

/** Java regex `\s`: what the spec regexes mean by whitespace. */
export function isJavaRegexWhitespace(ch: number): boolean {
  return ch === 0x20 || (ch >= 0x09 && ch <= 0x0d);
}

export function isAllWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isWhitespace(s.charCodeAt(i))) return false;
  return true;
}
