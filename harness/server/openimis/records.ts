/**
 * What the openIMIS rules need to know, read from the server's storage and search indexes: the price
 * list by code, an insuree, the policies in force for an insuree on a day, and the claims an insuree
 * already had (with what their responses accepted). Reads only; nothing here writes.
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../../json.js';
import type { FhirServerParts } from '../extension-points.js';
import { isSearchError } from '../search/index.js';
import { REASON, type EarlierLine, type Insuree } from './adjudication.js';
import {
  IG,
  amountOf,
  codesOf,
  dayOf,
  identifierValue,
  periodContains,
  referenceKey,
} from '../../openimis/payloads.js';
import {
  RESOURCE_OF_KIND,
  readPriceListEntry,
  type PriceListEntry,
  type PriceListKind,
} from '../../openimis/price-list.js';
import { coverageId } from './enrollment.js';

const FINAL_STATUSES = new Set(['4', '8', '16']);

export const DIAGNOSIS_SYSTEM = `${IG}/CodeSystem/diagnosis-ICD10-level1`;

/** A policy in force: the product it is for and its period. */
export interface Policy {
  productCode: string;
  productName?: string;
  startDay?: number;
  endDay?: number;
  /** `Coverage/id` of the policy, when there is one. */
  coverage?: string;
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

/** Past this many derived records, the oldest are forgotten (they are derived again when asked for). */
const MAX_DERIVED = 200_000;

/** What the coverage rules need of a Coverage. */
interface CoverageFacts {
  active: boolean;
  productCode?: string;
  className?: string;
  period: unknown;
}

/** What the policy rules need of a Contract: its executed assets, with members and period. */
interface ContractAsset {
  members: string[];
  /** The Coverage enrollment issued for this policy (enrollment.ts), when it did. */
  coverage: string;
  period: unknown;
  plan?: { type: string; id: string };
}

/**
 * Reads the server's data for the openIMIS rules. What it derives from a stored resource (a price-list
 * entry, a claim's accepted lines, a policy's facts) is kept with the resource's version and derived
 * again only when that version changes: a claim is adjudicated against many stored resources, and
 * parsing each of them for every claim would cost more than the rules themselves.
 */
export class OpenimisRecords {
  private diagnosisCodes: Set<string> | undefined;
  private readonly derived = new Map<string, { version: string; value: unknown }>();

  constructor(private readonly parts: FhirServerParts) {}

  private read(type: string, id: string): JsonObject | undefined {
    const version = this.parts.storage.read(type, id);
    return version?.resource as JsonObject | undefined;
  }

  /** The version of a resource that exists now (a deleted one has none). */
  private versionOf(type: string, id: string): string | undefined {
    const version = this.parts.storage.read(type, id);
    return version && version.method !== 'DELETE' ? version.versionId : undefined;
  }

  /** `compute` of the stored resources named, kept until one of their versions changes. */
  private derive<T>(
    purpose: string,
    keys: { type: string; id: string }[],
    compute: (resources: (JsonObject | undefined)[]) => T,
  ): T {
    const key = `${purpose}|${keys.map((k) => `${k.type}/${k.id}`).join('|')}`;
    const version = keys.map((k) => this.versionOf(k.type, k.id) ?? '-').join('|');
    const known = this.derived.get(key);
    if (known && known.version === version) return known.value as T;
    const value = compute(keys.map((k) => this.read(k.type, k.id)));
    this.remember(purpose, keys, version, value);
    return value;
  }

  private remember(
    purpose: string,
    keys: { type: string; id: string }[],
    version: string,
    value: unknown,
  ): void {
    const key = `${purpose}|${keys.map((k) => `${k.type}/${k.id}`).join('|')}`;
    if (this.derived.size >= MAX_DERIVED) this.derived.delete(this.derived.keys().next().value as string);
    this.derived.set(key, { version, value });
  }

  /** The ids of the current resources of a type matching search parameters (every page). */
  private findIds(type: string, params: [string, string][]): string[] {
    const result = this.parts.search.search(type, params);
    return isSearchError(result) ? [] : result.matches.map((key) => key.id);
  }

  private entryOf(type: string, id: string): PriceListEntry | undefined {
    return this.derive('price', [{ type, id }], ([resource]) =>
      resource ? readPriceListEntry(resource) : undefined,
    );
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
      const entry = this.entryOf(type, named.id);
      if (entry && (code === undefined || entry.code === code)) return entry;
    }
    if (code === undefined) return undefined;
    for (const id of this.findIds(type, [['identifier', code]])) {
      const entry = this.entryOf(type, id);
      if (entry?.code === code) return entry;
    }
    return undefined;
  }

  insuree(patientId: string): Insuree | undefined {
    return this.derive('insuree', [{ type: 'Patient', id: patientId }], ([patient]) => {
      if (!patient) return undefined;
      const birthDay = dayOf(patient.birthDate);
      const gender = stringOf(patient.gender);
      return { ...(gender ? { gender } : {}), ...(birthDay !== undefined ? { birthDay } : {}) };
    });
  }

  /**
   * The policies in force for an insuree on a day: Coverages naming the insuree as beneficiary, and
   * executed Contracts listing the insuree among the covered persons (the family's members).
   */
  policies(patientId: string, day: number): Policy[] {
    const policies: Policy[] = [];
    for (const id of this.findIds('Coverage', [['beneficiary', `Patient/${patientId}`]])) {
      const coverage = this.coverageFacts(id);
      if (!coverage?.active || coverage.productCode === undefined || !periodContains(coverage.period, day))
        continue;
      const plan = this.productByCode(coverage.productCode);
      policies.push({
        productCode: coverage.productCode,
        ...productFields(plan, coverage.className),
        ...periodDays(coverage.period),
        coverage: `Coverage/${id}`,
      });
    }
    for (const id of this.parts.storage.ids('Contract'))
      for (const asset of this.contractAssets(id)) {
        if (!asset.members.includes(patientId) || !periodContains(asset.period, day) || !asset.plan) continue;
        const plan = this.planFacts(asset.plan.id);
        if (plan?.code === undefined) continue;
        // The family's Coverage, found above, is the same policy.
        if (policies.some((p) => p.productCode === plan.code)) continue;
        const issued = this.coverageFacts(asset.coverage);
        policies.push({
          productCode: plan.code,
          ...productFields(plan, undefined),
          ...periodDays(asset.period),
          ...(issued?.active ? { coverage: `Coverage/${asset.coverage}` } : {}),
        });
      }
    return policies;
  }

  private coverageFacts(id: string): CoverageFacts | undefined {
    return this.derive('coverage', [{ type: 'Coverage', id }], ([coverage]) => {
      if (!coverage) return undefined;
      const first = objectsOf(coverage.class)[0];
      const productCode = objectsOf(coverage.class)
        .map((c) => stringOf(c.value))
        .find(Boolean);
      const className = stringOf(first?.name);
      return {
        active: coverage.status === 'active',
        period: coverage.period,
        ...(productCode !== undefined ? { productCode } : {}),
        ...(className !== undefined ? { className } : {}),
      };
    });
  }

  private contractAssets(id: string): ContractAsset[] {
    return this.derive('contract', [{ type: 'Contract', id }], ([contract]) => {
      if (!contract || contract.status !== 'executed') return [];
      let index = 0;
      return objectsOf(contract.term).flatMap((term) =>
        objectsOf(term.asset).map((asset) => {
          const plan = objectsOf(asset.valuedItem).map((item) => referenceKey(item.entityReference))[0];
          return {
            coverage: coverageId(id, index++),
            members: objectsOf(asset.typeReference)
              .map(referenceKey)
              .filter((key) => key?.type === 'Patient')
              .map((key) => (key as { id: string }).id),
            // Both are lists in R4; openIMIS gives one of each (usePeriod: when the policy is in effect).
            period: objectsOf(asset.usePeriod)[0] ?? objectsOf(asset.period)[0],
            ...(plan?.type === 'InsurancePlan' ? { plan } : {}),
          };
        }),
      );
    });
  }

  private planFacts(id: string): { code?: string; name?: string } | undefined {
    return this.derive('plan', [{ type: 'InsurancePlan', id }], ([plan]) => {
      if (!plan) return undefined;
      const code = identifierValue(plan, 'Code');
      const name = stringOf(plan.name);
      return { ...(code !== undefined ? { code } : {}), ...(name !== undefined ? { name } : {}) };
    });
  }

  private productByCode(code: string): { name?: string } | undefined {
    for (const id of this.findIds('InsurancePlan', [['identifier', code]])) {
      const plan = this.planFacts(id);
      if (plan?.code === code) return plan;
    }
    return undefined;
  }

  /** The claims of an insuree, with what their stored responses accepted, except the one given. */
  claimsOf(patientId: string, except?: string): ClaimRecord[] {
    const records: ClaimRecord[] = [];
    for (const id of this.findIds('Claim', [['patient', `Patient/${patientId}`]])) {
      if (id === except) continue;
      const record = this.claimRecord(id);
      if (record) records.push(record);
    }
    return records;
  }

  private claimRecord(id: string): ClaimRecord | undefined {
    const record = this.derive('claim', claimKeys(id), ([claim, response]) =>
      claim ? claimFacts(id, claim, response) : undefined,
    );
    if (!record) return undefined;
    // Whether a line was a consultation follows the price list, which may change on its own.
    return {
      ...record,
      consultation: record.accepted.some(
        (line) => line.kind === 'service' && this.priceListEntry('service', line.code)?.workflow === 'C',
      ),
    };
  }

  /**
   * What a claim just written says, kept as if derived from its stored versions: the next claim of the
   * same insuree finds it without parsing the claim and its response back.
   */
  rememberClaim(id: string, claim: JsonObject, response: JsonObject, versions: [string, string]): void {
    this.remember('claim', claimKeys(id), versions.join('|'), claimFacts(id, claim, response));
  }

  /** Other stored claims with this claim code. */
  claimsWithCode(code: string, except: string): string[] {
    return this.findIds('Claim', [['identifier', code]]).filter(
      (id) => id !== except && this.claimRecord(id)?.code === code,
    );
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

const claimKeys = (id: string) => [
  { type: 'Claim', id },
  { type: 'ClaimResponse', id },
];

/** A claim's code, first day and accepted lines, from the claim and its response. */
function claimFacts(
  id: string,
  claim: JsonObject,
  response: JsonObject | undefined,
): Omit<ClaimRecord, 'consultation'> | undefined {
  const startDay = claimDays(claim).startDay;
  if (startDay === undefined) return undefined;
  const code = identifierValue(claim, 'Code');
  return {
    id,
    ...(code !== undefined ? { code } : {}),
    startDay,
    accepted: response ? acceptedLines(claim, response, startDay) : [],
  };
}

function collectCodes(concepts: fhir4.CodeSystemConcept[]): string[] {
  return concepts.flatMap((concept) => [concept.code, ...collectCodes(concept.concept ?? [])]);
}

function productFields(plan: { name?: string } | undefined, fallbackName: string | undefined) {
  const name = plan?.name ?? fallbackName;
  return name !== undefined ? { productName: name } : {};
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
    if (kind && code) lines.push({ kind, code, day, quantity: amountOf(claimed?.quantity) ?? 1 });
  }
  return lines;
}
