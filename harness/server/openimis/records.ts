/**
 * What the openIMIS rules need to know, read from the server's storage and search indexes: the price
 * list by code, an insuree, the policies in force for an insuree on a day, and the claims an insuree
 * already had (with what their responses accepted). Reads only; nothing here writes.
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../../json.js';
import type { FhirServerParts } from '../extension-points.js';
import { isSearchError } from '../search/index.js';
import { REASON, type EarlierLine, type Insuree } from './adjudication.js';
import { IG, codesOf, dayOf, identifierValue, periodContains, referenceKey } from '../../openimis/payloads.js';
import {
  RESOURCE_OF_KIND,
  readPriceListEntry,
  type PriceListEntry,
  type PriceListKind,
} from '../../openimis/price-list.js';

const FINAL_STATUSES = new Set(['4', '8', '16']);

export const DIAGNOSIS_SYSTEM = `${IG}/CodeSystem/diagnosis-ICD10-level1`;

/** A policy in force: the product it is for, its period, the insurees it covers. */
export interface Policy {
  productCode: string;
  productName?: string;
  /** `InsurancePlan/id`, when the product is stored. */
  product?: string;
  startDay?: number;
  endDay?: number;
  /** `Coverage/id` of the policy, when there is one. */
  coverage?: string;
  /** Patient ids. */
  members: Set<string>;
}

/** An earlier claim of an insuree, with the lines its response accepted. */
export interface ClaimRecord {
  id: string;
  code?: string;
  startDay: number;
  accepted: EarlierLine[];
  /** It had a consultation service accepted. */
  consultation: boolean;
}

export class OpenimisRecords {
  private diagnosisCodes: Set<string> | undefined;

  constructor(private readonly parts: FhirServerParts) {}

  read(type: string, id: string): JsonObject | undefined {
    const version = this.parts.storage.read(type, id);
    return version?.resource as JsonObject | undefined;
  }

  /** The current resources of a type matching search parameters (every page). */
  find(type: string, params: [string, string][]): JsonObject[] {
    const result = this.parts.search.search(type, params);
    if (isSearchError(result)) return [];
    return result.matches
      .map((key) => this.read(key.type, key.id))
      .filter((resource): resource is JsonObject => resource !== undefined);
  }

  /** Every current resource of a type (for the few rules no search parameter serves). */
  all(type: string): JsonObject[] {
    return [...this.parts.storage.ids(type)]
      .map((id) => this.read(type, id))
      .filter((resource): resource is JsonObject => resource !== undefined);
  }

  /** The price-list entry of a kind with this code, or the one the reference names when it matches. */
  priceListEntry(
    kind: PriceListKind,
    code: string | undefined,
    reference?: unknown,
  ): PriceListEntry | undefined {
    const type = RESOURCE_OF_KIND[kind];
    const named = referenceKey(reference);
    if (named?.type === type) {
      const resource = this.read(named.type, named.id);
      const entry = resource ? readPriceListEntry(resource) : undefined;
      if (entry && (code === undefined || entry.code === code)) return entry;
    }
    if (code === undefined) return undefined;
    for (const resource of this.find(type, [['identifier', code]])) {
      const entry = readPriceListEntry(resource);
      if (entry?.code === code) return entry;
    }
    return undefined;
  }

  insuree(patientId: string): Insuree | undefined {
    const patient = this.read('Patient', patientId);
    if (!patient) return undefined;
    const birthDay = dayOf(patient.birthDate);
    const gender = stringOf(patient.gender);
    return { ...(gender ? { gender } : {}), ...(birthDay !== undefined ? { birthDay } : {}) };
  }

  /**
   * The policies in force for an insuree on a day: Coverages naming the insuree as beneficiary, and
   * executed Contracts listing the insuree among the covered persons (the family's members).
   */
  policies(patientId: string, day: number): Policy[] {
    const policies: Policy[] = [];
    const patient = `Patient/${patientId}`;
    for (const coverage of this.find('Coverage', [['beneficiary', patient]])) {
      if (coverage.status !== 'active' || !periodContains(coverage.period, day)) continue;
      const productCode = objectsOf(coverage.class)
        .map((c) => stringOf(c.value))
        .find(Boolean);
      if (productCode === undefined) continue;
      const plan = this.productByCode(productCode);
      policies.push({
        productCode,
        ...productFields(plan, stringOf(objectsOf(coverage.class)[0]?.name)),
        ...periodDays(coverage.period),
        coverage: `Coverage/${String(coverage.id)}`,
        members: new Set([patientId]),
      });
    }
    for (const contract of this.all('Contract')) {
      if (contract.status !== 'executed') continue;
      for (const term of objectsOf(contract.term))
        for (const asset of objectsOf(term.asset)) {
          const members = objectsOf(asset.typeReference)
            .map(referenceKey)
            .filter((key) => key?.type === 'Patient')
            .map((key) => (key as { id: string }).id);
          const period = isJsonObject(asset.usePeriod) ? asset.usePeriod : asset.period;
          if (!members.includes(patientId) || !periodContains(period, day)) continue;
          const planKey = objectsOf(asset.valuedItem).map((item) => referenceKey(item.entityReference))[0];
          const plan = planKey ? this.read(planKey.type, planKey.id) : undefined;
          const productCode = plan ? identifierValue(plan, 'Code') : undefined;
          if (productCode === undefined) continue;
          const known = policies.find((p) => p.productCode === productCode);
          if (known) {
            for (const member of members) known.members.add(member);
            continue;
          }
          policies.push({
            productCode,
            ...productFields(plan, undefined),
            ...periodDays(period),
            members: new Set(members),
          });
        }
    }
    return policies;
  }

  private productByCode(code: string): JsonObject | undefined {
    return this.find('InsurancePlan', [['identifier', code]])[0];
  }

  /** The claims of an insuree, with what their stored responses accepted, except the one given. */
  claimsOf(patientId: string, except?: string): ClaimRecord[] {
    const records: ClaimRecord[] = [];
    for (const claim of this.find('Claim', [['patient', `Patient/${patientId}`]])) {
      const id = String(claim.id);
      if (id === except) continue;
      const startDay = claimDays(claim).startDay;
      if (startDay === undefined) continue;
      const response = this.read('ClaimResponse', id);
      const accepted = response ? acceptedLines(claim, response, startDay) : [];
      const code = identifierValue(claim, 'Code');
      records.push({
        id,
        ...(code !== undefined ? { code } : {}),
        startDay,
        accepted,
        consultation: accepted.some((line) => line.kind === 'service' && this.isConsultation(line.code)),
      });
    }
    return records;
  }

  /** Other stored claims with this claim code. */
  claimsWithCode(code: string, except: string): JsonObject[] {
    return this.find('Claim', [['identifier', code]]).filter(
      (claim) => claim.id !== except && identifierValue(claim, 'Code') === code,
    );
  }

  private isConsultation(code: string): boolean {
    return this.priceListEntry('service', code)?.workflow === 'C';
  }

  /** The codes of the claim's diagnoses that the diagnosis list does not hold. */
  unknownDiagnoses(claim: JsonObject): string[] {
    this.diagnosisCodes ??= new Set(
      collectCodes(this.parts.definitions.codeSystem(DIAGNOSIS_SYSTEM)?.concept ?? []),
    );
    const known = this.diagnosisCodes;
    const unknown: string[] = [];
    for (const diagnosis of objectsOf(claim.diagnosis)) {
      const codes = codesOf(diagnosis.diagnosisCodeableConcept);
      if (codes.length > 0 && !codes.some((code) => known.has(code))) unknown.push(codes.join('/'));
    }
    return unknown;
  }
}

function collectCodes(concepts: fhir4.CodeSystemConcept[]): string[] {
  return concepts.flatMap((concept) => [concept.code, ...collectCodes(concept.concept ?? [])]);
}

function productFields(plan: JsonObject | undefined, fallbackName: string | undefined) {
  const name = stringOf(plan?.name) ?? fallbackName;
  return {
    ...(name !== undefined ? { productName: name } : {}),
    ...(plan ? { product: `InsurancePlan/${String(plan.id)}` } : {}),
  };
}

function periodDays(period: unknown): { startDay?: number; endDay?: number } {
  const startDay = isJsonObject(period) ? dayOf(period.start) : undefined;
  const endDay = isJsonObject(period) ? dayOf(period.end) : undefined;
  return { ...(startDay !== undefined ? { startDay } : {}), ...(endDay !== undefined ? { endDay } : {}) };
}

/** A claim's days of care: billablePeriod, else its creation day. */
export function claimDays(claim: JsonObject): { startDay?: number; endDay?: number } {
  const period = isJsonObject(claim.billablePeriod) ? claim.billablePeriod : {};
  const startDay = dayOf(period.start) ?? dayOf(claim.created);
  const endDay = dayOf(period.end) ?? startDay;
  return { ...(startDay !== undefined ? { startDay } : {}), ...(endDay !== undefined ? { endDay } : {}) };
}

/** The kind of a claim item, from its category's text or codes. */
export function kindOfItem(item: JsonObject): PriceListKind | undefined {
  const category = isJsonObject(item.category) ? item.category : {};
  const words = [stringOf(category.text), ...codesOf(category)].map((word) => word?.toLowerCase());
  if (words.includes('service')) return 'service';
  if (words.includes('item')) return 'item';
  return undefined;
}

/** The lines of a claim its response accepted (reason 0 once checked or later, and no rejection). */
function acceptedLines(claim: JsonObject, response: JsonObject, day: number): EarlierLine[] {
  const items = objectsOf(claim.item);
  const lines: EarlierLine[] = [];
  for (const item of objectsOf(response.item)) {
    const adjudications = objectsOf(item.adjudication);
    const rejected = adjudications.some((a) => codesOf(a.category).includes('1'));
    // Accepted once checked, processed or valuated; a line only entered (queued for review) is not yet.
    const accepted = adjudications.some(
      (a) =>
        codesOf(a.reason).includes(REASON.accepted) &&
        codesOf(a.category).some((code) => FINAL_STATUSES.has(code)),
    );
    if (rejected || !accepted) continue;
    const claimed = items.find((candidate) => candidate.sequence === item.itemSequence);
    const kind = claimed ? kindOfItem(claimed) : undefined;
    const code =
      claimed && isJsonObject(claimed.productOrService) ? stringOf(claimed.productOrService.text) : undefined;
    const quantity = claimed && isJsonObject(claimed.quantity) ? claimed.quantity.value : undefined;
    if (kind && code) lines.push({ kind, code, day, quantity: typeof quantity === 'number' ? quantity : 1 });
  }
  return lines;
}
