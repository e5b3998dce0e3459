/**
 * Reading openIMIS payloads as the IG shapes them: the openIMIS identifiers (Code, UUID), extensions
 * by URL, references, dates. Every reader tolerates what a lenient server may have stored (a missing
 * or mistyped element reads as absent), so the rules built on them never throw on data.
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../json.js';

export const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
export const IDENTIFIER_SYSTEM = `${IG}/CodeSystem/openimis-identifiers`;
export const CLAIM_STATUS_SYSTEM = `${IG}/CodeSystem/claim-status`;
export const REJECTION_REASON_SYSTEM = `${IG}/CodeSystem/claim-rejection-reasons`;
export const COVERAGE_ITEM_CATEGORY_SYSTEM = `${IG}/CodeSystem/coverage-item-category`;
export const BENEFIT_TYPE_SYSTEM = `${IG}/CodeSystem/coverage-item-benefit-type`;
export const extensionUrl = (id: string) => `${IG}/StructureDefinition/${id}`;

/** The value of the identifier whose type code is `code` (`Code`, `UUID`). */
export function identifierValue(resource: JsonObject, code: string): string | undefined {
  for (const identifier of objectsOf(resource.identifier)) {
    const type = isJsonObject(identifier.type) ? identifier.type : {};
    if (objectsOf(type.coding).some((coding) => coding.code === code)) return stringOf(identifier.value);
  }
  return undefined;
}

/** The extensions of a resource or element with this URL. */
function extensionsOf(holder: unknown, url: string): JsonObject[] {
  return isJsonObject(holder) ? objectsOf(holder.extension).filter((e) => e.url === url) : [];
}

export function extensionOf(holder: unknown, url: string): JsonObject | undefined {
  return extensionsOf(holder, url)[0];
}

/** `Type/id` of a Reference (its literal reference; a version or base URL dropped). */
export function referenceKey(reference: unknown): { type: string; id: string } | undefined {
  const literal = isJsonObject(reference) ? stringOf(reference.reference) : undefined;
  const match =
    literal && /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(literal);
  return match ? { type: match[1] as string, id: match[2] as string } : undefined;
}

/** The codes of a CodeableConcept's codings. */
export function codesOf(concept: unknown): string[] {
  if (!isJsonObject(concept)) return [];
  return objectsOf(concept.coding)
    .map((coding) => stringOf(coding.code))
    .filter((code): code is string => code !== undefined);
}

/** A FHIR date or dateTime as a day number (days since 1970-01-01, UTC), or undefined. */
export function dayOf(value: unknown): number | undefined {
  const text = stringOf(value);
  const match = text && /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(time) ? undefined : Math.floor(time / 86_400_000);
}

/** A day number as a FHIR date. */
export function dateOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Today as a day number (UTC). */
export const todayDay = () => Math.floor(Date.now() / 86_400_000);

/** The FHIR date `days` days from today (UTC): today for 0. */
export const dateFromToday = (days = 0) => dateOfDay(todayDay() + days);

/** Whether a Period (start and end days, either open) contains a day. */
export function periodContains(period: unknown, day: number): boolean {
  if (!isJsonObject(period)) return false;
  const start = dayOf(period.start);
  const end = dayOf(period.end);
  return (start === undefined || start <= day) && (end === undefined || day <= end);
}

/** A decimal of a Money or Quantity value, when it is one. */
export function amountOf(holder: unknown): number | undefined {
  return isJsonObject(holder) && typeof holder.value === 'number' && Number.isFinite(holder.value)
    ? holder.value
    : undefined;
}

/** Rounds money to cents, as the amounts a claim response carries. */
export const cents = (value: number) => Math.round(value * 100) / 100;
