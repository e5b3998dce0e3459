/**
 * Claim adjudication as openIMIS does it, as pure rules: given a claim's lines, the insuree, the
 * policies in force, the price list and what the insuree already had, each line is accepted (valuated
 * at the price-list price) or rejected with a claim-rejection-reasons code. No storage, no HTTP: the
 * claims plug-in gathers the facts, these rules judge them, and the unit tests call them directly.
 *
 * The reasons, in the order they are checked (the first that applies is given):
 *   3  NO PRODUCT FOUND       no policy in force at the claim's date covers the insuree
 *   6  DUPLICATED             another claim already has this claim's code
 *   8  DIAGNOSIS NOT IN LIST  a diagnosis code the diagnosis list does not hold
 *   2  NOT IN PRICE LIST      the line's service or item code is not in the price list
 *   4  CATEGORY LIMITATION    the insuree's gender or age group is not one the entry is for
 *   10 CARE TYPE              out-patient care for an in-patient-only entry, or the reverse
 *   16 QTY OVER LIMIT         more than the entry's frequency allows over the claim's days
 *   5  FREQUENCY FAILURE      the insuree had the entry too recently (within its period)
 *   12 MAX VISITS             the policy's visits are used up
 *   13 MAX CONSULTATIONS      the policy's consultations are used up (consultation services only)
 */
import type { PriceListEntry, PriceListKind } from '../../openimis/price-list.js';
import { AGE_OF_MAJORITY } from '../../openimis/premium.js';

export const REASON = {
  accepted: '0',
  notInPriceList: '2',
  noProduct: '3',
  category: '4',
  frequency: '5',
  duplicated: '6',
  diagnosis: '8',
  careType: '10',
  maxVisits: '12',
  maxConsultations: '13',
  quantity: '16',
} as const;

/** The claim-status codes (1 rejected, 2 entered, 4 checked, 8 processed, 16 valuated). */
export type ClaimStatus = '1' | '2' | '4' | '8' | '16';

/** The outcome a ClaimResponse gives for each claim status (entered is still queued). */
export const OUTCOME_OF_STATUS: Record<ClaimStatus, 'queued' | 'partial' | 'complete'> = {
  '1': 'complete',
  '2': 'queued',
  '4': 'partial',
  '8': 'partial',
  '16': 'complete',
};

/** What the product allows per policy period. The IG's InsurancePlan cannot carry ceilings, so the
 * sandbox applies these to every product, as an openIMIS product's defaults would. */
export interface ProductLimits {
  visits: number;
  consultations: number;
}

export const DEFAULT_PRODUCT_LIMITS: ProductLimits = { visits: 12, consultations: 6 };

export interface ClaimLine {
  sequence: number;
  kind: PriceListKind | undefined;
  code: string | undefined;
  quantity: number;
  /** What the claim asks per unit. */
  unitPrice: number;
  /** The price-list entry the line names, when there is one. */
  entry?: PriceListEntry;
}

/** A line an earlier claim of the insuree had accepted. */
export interface EarlierLine {
  code: string;
  kind: PriceListKind;
  day: number;
  quantity: number;
}

export interface Insuree {
  gender?: string;
  /** Day number of the birth date. */
  birthDay?: number;
}

export interface ClaimFacts {
  lines: ClaimLine[];
  insuree: Insuree;
  /** The claim's first and last day of care. */
  startDay: number;
  endDay: number;
  /** Whether a policy is in force for the insuree at startDay. */
  insured: boolean;
  limits: ProductLimits;
  /** Accepted claims this policy period: visits, and those with a consultation. */
  visitsUsed: number;
  consultationsUsed: number;
  earlier: EarlierLine[];
  duplicateCode: boolean;
  /** Diagnosis codes not in the list. */
  unknownDiagnoses: string[];
}

export interface LineVerdict {
  sequence: number;
  reason: string;
  quantity: number;
  claimed: number;
  /** What is paid: the quantity at the price-list price; 0 when rejected. */
  approved: number;
  currency?: string;
  entry?: PriceListEntry;
}

export interface Adjudication {
  status: ClaimStatus;
  lines: LineVerdict[];
  claimed: number;
  approved: number;
}

export function ageGroupOf(insuree: Insuree, day: number): 'adult' | 'child' | undefined {
  if (insuree.birthDay === undefined) return undefined;
  const birth = new Date(insuree.birthDay * 86_400_000);
  const at = new Date(day * 86_400_000);
  let age = at.getUTCFullYear() - birth.getUTCFullYear();
  if (
    at.getUTCMonth() < birth.getUTCMonth() ||
    (at.getUTCMonth() === birth.getUTCMonth() && at.getUTCDate() < birth.getUTCDate())
  )
    age -= 1;
  return age >= AGE_OF_MAJORITY ? 'adult' : 'child';
}

/** Whether the entry is for this insuree on the day: the genders and age groups it names, if any. */
export function forInsuree(entry: PriceListEntry, insuree: Insuree, day: number): boolean {
  const { gender } = insuree;
  if (entry.genders && (gender === undefined || !entry.genders.has(gender))) return false;
  const age = ageGroupOf(insuree, day);
  return !entry.ages || (age !== undefined && entry.ages.has(age));
}

/** In-patient care spans more than one day. */
export const careTypeOf = (startDay: number, endDay: number) => (endDay > startDay ? 'IMP' : 'AMB');

/** The most an entry allows on one claim: its frequency over the claim's days. */
export function quantityLimit(entry: PriceListEntry, startDay: number, endDay: number): number | undefined {
  if (!entry.frequency) return undefined;
  const days = Math.max(1, endDay - startDay + 1);
  return entry.frequency.count * Math.ceil(days / entry.frequency.periodDays);
}

/** The first day the insuree may have the entry again, after what they had; undefined: any day. */
export function nextAllowedDay(entry: PriceListEntry, earlier: readonly EarlierLine[]): number | undefined {
  if (!entry.frequency) return undefined;
  const { count, periodDays } = entry.frequency;
  const days = earlier
    .filter((line) => line.code === entry.code && line.kind === entry.kind)
    .map((line) => line.day)
    .sort((a, b) => b - a);
  // `count` deliveries are allowed in any window of periodDays days.
  const limiting = days[count - 1];
  return limiting === undefined ? undefined : limiting + periodDays;
}

export function adjudicate(facts: ClaimFacts): Adjudication {
  const lines = facts.lines.map((line): LineVerdict => {
    const claimed = line.quantity * line.unitPrice;
    const reason = rejectionOf(line, facts);
    const entry = line.entry;
    const accepted = reason === REASON.accepted && entry !== undefined;
    return {
      sequence: line.sequence,
      reason,
      quantity: line.quantity,
      claimed,
      approved: accepted ? line.quantity * entry.unitPrice : 0,
      ...(entry?.currency !== undefined ? { currency: entry.currency } : {}),
      ...(entry ? { entry } : {}),
    };
  });
  const approved = lines.reduce((sum, line) => sum + line.approved, 0);
  const claimed = lines.reduce((sum, line) => sum + line.claimed, 0);
  const anyAccepted = lines.some((line) => line.reason === REASON.accepted);
  return { status: anyAccepted ? '16' : '1', lines, claimed, approved };
}

function rejectionOf(line: ClaimLine, facts: ClaimFacts): string {
  if (!facts.insured) return REASON.noProduct;
  if (facts.duplicateCode) return REASON.duplicated;
  if (facts.unknownDiagnoses.length > 0) return REASON.diagnosis;
  const entry = line.entry;
  if (!entry || entry.kind !== line.kind) return REASON.notInPriceList;
  if (!forInsuree(entry, facts.insuree, facts.startDay)) return REASON.category;
  if (entry.careTypes && !entry.careTypes.has(careTypeOf(facts.startDay, facts.endDay)))
    return REASON.careType;
  const limit = quantityLimit(entry, facts.startDay, facts.endDay);
  if (limit !== undefined && line.quantity > limit) return REASON.quantity;
  const next = nextAllowedDay(entry, facts.earlier);
  if (next !== undefined && facts.startDay < next) return REASON.frequency;
  if (facts.visitsUsed >= facts.limits.visits) return REASON.maxVisits;
  if (
    entry.kind === 'service' &&
    entry.workflow === 'C' &&
    facts.consultationsUsed >= facts.limits.consultations
  )
    return REASON.maxConsultations;
  return REASON.accepted;
}
