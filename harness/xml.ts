/**
 * Writing XML by hand, safely: what the JUnit reports (of `validate` and of scenario runs) share. Text
 * from servers and resources goes into XML only through these functions.
 */

/** Characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF): dropped. */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripInvalidXml(text: string): string {
  return text.replace(INVALID_XML, '');
}

/** Text content: markup characters escaped. */
export function escapeXmlText(text: string): string {
  return stripInvalidXml(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value: quotes escaped too, and line breaks and tabs kept as references (parsers fold them). */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** A CDATA section; `]]>` inside is split across two sections so it cannot close the first early. */
export function cdata(text: string): string {
  return `<![CDATA[${stripInvalidXml(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** Attribute values by name; an undefined one is left out. */
export type XmlAttributes = Record<string, string | number | undefined>;

/** ` name="value"` for each attribute with a value, escaped. */
export function xmlAttributes(values: XmlAttributes): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}
