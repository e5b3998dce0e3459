/**
 * What a search parameter's expression yields, turned into the values the indexes keep, one shape per
 * parameter type (search.html: the tables of which FHIR types each parameter type matches).
 */
import { normaliseText } from './text.js';
import { dateRange, type Range } from './ranges.js';
import { isJsonObject, objectsOf } from '../../json.js';

export interface TypedNode {
  /** The FHIR type of the element (`Identifier`, `code`, `Period`...), or undefined when unknown. */
  fhirType: string | undefined;
  data: unknown;
}

export interface TokenValue {
  system: string | undefined;
  code: string | undefined;
  /** Normalised texts: CodeableConcept.text, Coding.display, Identifier.type.text. */
  texts: readonly string[];
  /** Identifier.type codings, for :of-type. */
  identifierType: readonly TypeCoding[] | undefined;
}

export interface TypeCoding {
  system: string | undefined;
  code: string | undefined;
}

export interface StringValue {
  raw: string;
  norm: string;
}

export interface ReferenceValue {
  /** `Type/id` for a relative or absolute reference to a resource; the raw text otherwise (canonical, urn). */
  key: string | undefined;
  type: string | undefined;
  id: string | undefined;
  /** The full reference text as written. */
  raw: string | undefined;
  identifier: { system: string | undefined; value: string | undefined } | undefined;
}

export interface QuantityValue {
  value: number;
  system: string | undefined;
  code: string | undefined;
  unit: string | undefined;
}

export type DateValue = Range;

type JsonRecord = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Most values have no texts: one shared empty list (never changed) instead of one each. */
export const NO_TEXTS: readonly string[] = Object.freeze([]);

// Every value is made with all its fields, in one order, so values of a kind share one shape (compact
// objects, and monomorphic code where the index reads them).
const token = (
  system: string | undefined,
  code: string | undefined,
  texts: readonly string[],
  identifierType?: readonly TypeCoding[],
): TokenValue => ({ system, code, texts, identifierType });

export function tokenValues(node: TypedNode, out: TokenValue[]): void {
  const { data } = node;
  if (typeof data === 'string' || typeof data === 'boolean' || typeof data === 'number') {
    out.push(token(undefined, String(data), NO_TEXTS));
    return;
  }
  if (!isJsonObject(data)) return;
  const type = node.fhirType ?? guessType(data);
  if (type === 'CodeableConcept') {
    const text = str(data.text);
    const codings = objectsOf(data.coding);
    for (const coding of codings) out.push(coded(coding, text));
    if (codings.length === 0 && text) out.push(token(undefined, undefined, [normaliseText(text)]));
  } else if (type === 'Identifier') {
    const identifierType = isJsonObject(data.type) ? data.type : undefined;
    const typeText = str(identifierType?.text);
    out.push(
      token(
        str(data.system),
        str(data.value),
        typeText ? [normaliseText(typeText)] : NO_TEXTS,
        identifierType && Array.isArray(identifierType.coding)
          ? typeCodings(
              identifierType.coding
                .filter(isJsonObject)
                .map((c): TypeCoding => ({ system: str(c.system), code: str(c.code) })),
            )
          : undefined,
      ),
    );
  } else if (type === 'ContactPoint') {
    out.push(token(str(data.system), str(data.value), NO_TEXTS));
  } else if (type === 'Coding' || 'code' in data) {
    out.push(coded(data, undefined));
  }
}

/** Identifier types seen, shared: a million national ids are typed by the same one or two codings. */
const TYPE_CODINGS = new Map<string, readonly TypeCoding[]>();
const TYPE_CODINGS_KEPT = 1_024;

function typeCodings(codings: TypeCoding[]): readonly TypeCoding[] {
  const key = JSON.stringify(codings);
  const known = TYPE_CODINGS.get(key);
  if (known) return known;
  if (TYPE_CODINGS.size < TYPE_CODINGS_KEPT) TYPE_CODINGS.set(key, Object.freeze(codings));
  return codings;
}

function coded(coding: JsonRecord, conceptText: string | undefined): TokenValue {
  const display = str(coding.display);
  let texts = NO_TEXTS;
  if (conceptText || display) {
    const list: string[] = [];
    if (conceptText) list.push(normaliseText(conceptText));
    if (display) list.push(normaliseText(display));
    texts = list;
  }
  return token(str(coding.system), str(coding.code), texts);
}

function guessType(data: JsonRecord): string | undefined {
  if ('coding' in data) return 'CodeableConcept';
  if ('value' in data && ('system' in data || 'type' in data || 'assigner' in data)) return 'Identifier';
  return undefined;
}

const NAME_PARTS = ['family', 'given', 'prefix', 'suffix', 'text'];
const ADDRESS_PARTS = ['line', 'city', 'district', 'state', 'postalCode', 'country', 'text'];

export function stringValues(node: TypedNode, out: StringValue[]): void {
  const push = (value: unknown): void => {
    if (typeof value === 'string' && value.length > 0) out.push({ raw: value, norm: normaliseText(value) });
    else if (Array.isArray(value)) value.forEach(push);
  };
  const { data } = node;
  if (!isJsonObject(data)) return push(data);
  const parts =
    node.fhirType === 'HumanName' ? NAME_PARTS : node.fhirType === 'Address' ? ADDRESS_PARTS : undefined;
  if (parts) for (const part of parts) push(data[part]);
  else for (const [key, value] of Object.entries(data)) if (key !== 'id' && key !== 'extension') push(value);
}

const REFERENCE = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** `Type/id` from a relative or absolute reference, or undefined. */
export function referenceKey(text: string): { type: string; id: string } | undefined {
  const m = REFERENCE.exec(text);
  return m ? { type: m[1] as string, id: m[2] as string } : undefined;
}

/** `Type/id`, reusing the text as written when it is exactly that (a relative reference, the most common). */
function keyOf(parsed: { type: string; id: string }, text: string): string {
  return text.length === parsed.type.length + 1 + parsed.id.length && text.startsWith(parsed.type)
    ? text
    : `${parsed.type}/${parsed.id}`;
}

export function referenceValues(node: TypedNode, out: ReferenceValue[]): void {
  const { data } = node;
  if (typeof data === 'string') {
    // canonical or uri used as a reference target
    const parsed = referenceKey(data);
    out.push({
      key: parsed ? keyOf(parsed, data) : data,
      type: parsed?.type,
      id: parsed?.id,
      raw: data,
      identifier: undefined,
    });
    return;
  }
  if (!isJsonObject(data)) return;
  const reference = str(data.reference);
  const identifier = isJsonObject(data.identifier)
    ? { system: str(data.identifier.system), value: str(data.identifier.value) }
    : undefined;
  const parsed = reference ? referenceKey(reference) : undefined;
  out.push({
    key: parsed ? keyOf(parsed, reference!) : reference,
    type: parsed?.type,
    id: parsed?.id,
    raw: reference,
    identifier,
  });
}

export function dateValues(node: TypedNode, out: DateValue[]): void {
  const { data } = node;
  if (typeof data === 'string') {
    const range = dateRange(data);
    if (range) out.push(range);
  } else if (isJsonObject(data)) {
    if ('start' in data || 'end' in data) {
      const start = str(data.start) ? dateRange(data.start as string) : undefined;
      const end = str(data.end) ? dateRange(data.end as string) : undefined;
      out.push({ low: start?.low ?? -Infinity, high: end?.high ?? Infinity });
    } else if (Array.isArray(data.event)) {
      for (const event of data.event) dateValues({ fhirType: 'dateTime', data: event }, out);
    }
  }
}

export function numberValues(node: TypedNode, out: number[]): void {
  const value =
    typeof node.data === 'number' ? node.data : isJsonObject(node.data) ? node.data.value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) out.push(value);
}

export function quantityValues(node: TypedNode, out: QuantityValue[]): void {
  const { data } = node;
  if (typeof data === 'number')
    out.push({ value: data, system: undefined, code: undefined, unit: undefined });
  if (!isJsonObject(data) || typeof data.value !== 'number') return;
  if (node.fhirType === 'Money') {
    out.push({
      value: data.value,
      system: 'urn:iso:std:iso:4217',
      code: str(data.currency),
      unit: undefined,
    });
    return;
  }
  out.push({ value: data.value, system: str(data.system), code: str(data.code), unit: str(data.unit) });
}

export function uriValues(node: TypedNode, out: string[]): void {
  if (typeof node.data === 'string') out.push(node.data);
}
