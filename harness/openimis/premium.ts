/**
 * What a family owes for a policy of a product, as openIMIS computes a new policy's value from the
 * product's costs (InsurancePlan.plan.generalCost, coded by the IG's insurance-plan-general-cost-type):
 *
 * - contribution: the lump sum when the product has one, covering as many members as its `groupSize`
 *   (all of them when it gives none), each further member at the adult or child premium; without a lump
 *   sum, every member at the adult or child premium;
 * - registration: the registration lump sum, or else the registration fee for each member;
 * - general assembly: the assembly lump sum, or else the assembly fee for each member.
 *
 * An adult is 18 or older on the enrolment day; a member whose birth date is unknown counts as an adult.
 */
import { isJsonObject, objectsOf, type JsonObject } from '../json.js';
import { amountOf, codesOf, cents } from './payloads.js';

/** The age from which a member pays the adult premium. */
export const AGE_OF_MAJORITY = 18;

export interface ProductCosts {
  lumpSum?: number;
  /** How many members the lump sum covers. */
  lumpSumMembers?: number;
  premiumAdult?: number;
  premiumChild?: number;
  registrationLumpSum?: number;
  registrationFee?: number;
  assemblyLumpSum?: number;
  assemblyFee?: number;
  currency?: string;
}

const COST_FIELDS: Record<string, keyof ProductCosts> = {
  lumpsum: 'lumpSum',
  premiumAdult: 'premiumAdult',
  premiumChild: 'premiumChild',
  registrationLumpsum: 'registrationLumpSum',
  registrationFee: 'registrationFee',
  generalAssemblyLumpSum: 'assemblyLumpSum',
  generalAssemblyFee: 'assemblyFee',
};

/** The costs an InsurancePlan defines (its first plan's general costs). */
export function readProductCosts(plan: JsonObject): ProductCosts {
  const costs: ProductCosts = {};
  for (const entry of objectsOf(objectsOf(plan.plan)[0]?.generalCost)) {
    const field = codesOf(entry.type)
      .map((code) => COST_FIELDS[code])
      .find((f) => f !== undefined);
    const amount = amountOf(entry.cost);
    if (field === undefined || amount === undefined) continue;
    (costs as Record<string, number>)[field] = amount;
    if (field === 'lumpSum' && typeof entry.groupSize === 'number') costs.lumpSumMembers = entry.groupSize;
    if (isJsonObject(entry.cost) && typeof entry.cost.currency === 'string')
      costs.currency = entry.cost.currency;
  }
  return costs;
}

/** A member's age group on the enrolment day. */
export function isAdult(birthDate: string | undefined, onDay: string): boolean {
  if (birthDate === undefined || !/^\d{4}-\d{2}-\d{2}/.test(birthDate)) return true;
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDay.slice(0, 10).split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return age >= AGE_OF_MAJORITY;
}

export interface Contribution {
  contribution: number;
  registration: number;
  assembly: number;
  total: number;
}

/** What a family of `adults` and `children` owes for a new policy of a product with these costs. */
export function contributionDue(costs: ProductCosts, adults: number, children: number): Contribution {
  const members = adults + children;
  const adult = costs.premiumAdult ?? 0;
  const child = costs.premiumChild ?? 0;
  let contribution: number;
  if (costs.lumpSum !== undefined && costs.lumpSum > 0) {
    // Members beyond those the lump sum covers pay the premium of their group, adults first covered.
    const covered = costs.lumpSumMembers ?? members;
    const extraAdults = Math.max(0, adults - covered);
    const extraChildren = Math.max(0, children - Math.max(0, covered - adults));
    contribution = costs.lumpSum + extraAdults * adult + extraChildren * child;
  } else contribution = adults * adult + children * child;
  const registration =
    costs.registrationLumpSum !== undefined && costs.registrationLumpSum > 0
      ? costs.registrationLumpSum
      : members * (costs.registrationFee ?? 0);
  const assembly =
    costs.assemblyLumpSum !== undefined && costs.assemblyLumpSum > 0
      ? costs.assemblyLumpSum
      : members * (costs.assemblyFee ?? 0);
  return {
    contribution: cents(contribution),
    registration: cents(registration),
    assembly: cents(assembly),
    total: cents(contribution + registration + assembly),
  };
}
