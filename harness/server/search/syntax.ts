/**
 * The syntax of search parameters (search.html#escaping, #modifiers, #chaining): `name[:modifier][.chain]`
 * and values with `,` alternatives and `|` parts, where `\,` `\|` `\$` `\\` are literal.
 */

export interface ParameterName {
  code: string;
  modifier?: string;
  /** What follows the first `.`: a chained parameter of the referenced type, possibly with its modifier. */
  chain?: string;
}

export function parseName(name: string): ParameterName {
  const dot = name.indexOf('.');
  const head = dot === -1 ? name : name.slice(0, dot);
  const colon = head.indexOf(':');
  return {
    code: colon === -1 ? head : head.slice(0, colon),
    ...(colon === -1 ? {} : { modifier: head.slice(colon + 1) }),
    ...(dot === -1 ? {} : { chain: name.slice(dot + 1) }),
  };
}

/** Splits at an unescaped separator and unescapes the parts. */
export function splitEscaped(value: string, separator: ',' | '|' | '$', limit = Infinity): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i] as string;
    if (char === '\\' && i + 1 < value.length && ',|$\\'.includes(value[i + 1] as string)) {
      const next = value[++i] as string;
      // Keep escapes of other separators for a later split; drop the one for this separator.
      current += next === separator ? next : `\\${next}`;
    } else if (char === separator && parts.length < limit - 1) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** Removes the remaining escapes once every split is done. */
export function unescape(value: string): string {
  return value.replace(/\\([,|$\\])/g, '$1');
}
