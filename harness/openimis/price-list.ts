/**
 * The price list: medical services (ActivityDefinition) and medical items (Medication) as the IG
 * describes them, read into what adjudication and eligibility need: the code, the unit price, who the
 * entry is for (genders, age groups, care types), its workflow category, and how often an insuree may
 * have it (once per `periodDays` days, `count` times).
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../json.js';
import { codesOf, extensionOf, extensionUrl, identifierValue } from './payloads.js';

export type PriceListKind = 'service' | 'item';

export interface PriceListEntry {
  kind: PriceListKind;
  /** `ActivityDefinition/id` or `Medication/id`. */
  reference: string;
  code: string;
  name?: string;
  unitPrice: number;
  currency?: string;
  /** Absent: any. */
  genders?: ReadonlySet<string>;
  ages?: ReadonlySet<string>;
  /** v3 ActCode AMB (out-patient), IMP (in-patient). */
  careTypes?: ReadonlySet<string>;
  /** The workflow category of a service: S surgery, C consultation, D delivery, A antenatal, O other. */
  workflow?: string;
  frequency?: { count: number; periodDays: number };
}

export const RESOURCE_OF_KIND: Record<PriceListKind, 'ActivityDefinition' | 'Medication'> = {
  service: 'ActivityDefinition',
  item: 'Medication',
};

/** A price-list entry from its resource, or undefined when it has no code or price. */
export function readPriceListEntry(resource: JsonObject): PriceListEntry | undefined {
  const kind: PriceListKind | undefined =
    resource.resourceType === 'ActivityDefinition'
      ? 'service'
      : resource.resourceType === 'Medication'
        ? 'item'
        : undefined;
  if (kind === undefined) return undefined;
  const code =
    identifierValue(resource, 'Code') ?? (kind === 'service' ? stringOf(resource.name) : undefined);
  const price = extensionOf(resource, extensionUrl('unit-price'))?.valueMoney;
  const unitPrice = isJsonObject(price) && typeof price.value === 'number' ? price.value : undefined;
  if (code === undefined || unitPrice === undefined) return undefined;
  const contexts = kind === 'service' ? serviceContexts(resource) : itemContexts(resource);
  const timing =
    kind === 'service'
      ? resource.timingTiming
      : extensionOf(resource, extensionUrl('medication-frequency'))?.valueTiming;
  const frequency = frequencyOf(timing);
  const currency = isJsonObject(price) ? stringOf(price.currency) : undefined;
  const name =
    kind === 'service'
      ? stringOf(resource.title)
      : isJsonObject(resource.code)
        ? stringOf(resource.code.text)
        : undefined;
  return {
    kind,
    reference: `${resource.resourceType as string}/${String(resource.id)}`,
    code,
    ...(name !== undefined ? { name } : {}),
    unitPrice,
    ...(currency !== undefined ? { currency } : {}),
    ...contexts,
    ...(frequency ? { frequency } : {}),
  };
}

type Contexts = Pick<PriceListEntry, 'genders' | 'ages' | 'careTypes' | 'workflow'>;

/** ActivityDefinition.useContext: gender, age, venue (care type), workflow (category). */
function serviceContexts(resource: JsonObject): Contexts {
  const contexts: Contexts = {};
  for (const context of objectsOf(resource.useContext)) {
    const kind = isJsonObject(context.code) ? stringOf(context.code.code) : undefined;
    addContext(contexts, kind, codesOf(context.valueCodeableConcept));
  }
  return contexts;
}

/** The medication-usage-context extension: Gender, Age and CareType sub-extensions. */
function itemContexts(resource: JsonObject): Contexts {
  const contexts: Contexts = {};
  const holder = extensionOf(resource, extensionUrl('medication-usage-context'));
  for (const part of objectsOf(holder?.extension)) {
    const usage = isJsonObject(part.valueUsageContext) ? part.valueUsageContext : {};
    const kind = isJsonObject(usage.code) ? stringOf(usage.code.code) : undefined;
    addContext(contexts, kind, codesOf(usage.valueCodeableConcept));
  }
  return contexts;
}

function addContext(contexts: Contexts, kind: string | undefined, codes: string[]): void {
  if (codes.length === 0) return;
  if (kind === 'gender') contexts.genders = new Set(codes);
  else if (kind === 'age') contexts.ages = new Set(codes);
  else if (kind === 'venue') contexts.careTypes = new Set(codes);
  else if (kind === 'workflow') contexts.workflow = codes[0];
}

/** `repeat.frequency` times per `repeat.period` days; a period of 0 (or none) means no limit. */
function frequencyOf(timing: unknown): PriceListEntry['frequency'] {
  const repeat = isJsonObject(timing) && isJsonObject(timing.repeat) ? timing.repeat : undefined;
  if (!repeat) return undefined;
  const period = typeof repeat.period === 'number' ? repeat.period : 0;
  const unit = stringOf(repeat.periodUnit) ?? 'd';
  const days = unit === 'd' ? period : unit === 'wk' ? period * 7 : unit === 'mo' ? period * 30 : period;
  if (!(days > 0)) return undefined;
  const count = typeof repeat.frequency === 'number' && repeat.frequency > 0 ? repeat.frequency : 1;
  return { count, periodDays: days };
}
